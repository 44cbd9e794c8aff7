import {definePlugin} from '../../core/index.js';
import {AgentCreateCommand} from './commands/create.js';
import {AgentListCommand} from './commands/list.js';
import {AgentTokenCommand} from './commands/token.js';
import {AgentUseCommand} from './commands/use.js';
import {agentEvents} from './events.js';

export default definePlugin({
  name: 'agent',
  version: '0.1.0',
  commands: [AgentCreateCommand, AgentListCommand, AgentUseCommand, AgentTokenCommand],
  events: agentEvents,
  settings: [
    {
      key: 'dispatch.agent',
      type: 'string',
      default: '',
      description: 'the agent node this machine dispatches as (`spor agent use`); empty: person-scoped',
    },
  ],
});
