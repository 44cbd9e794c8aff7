import {definePlugin} from '../../core/index.js';
import {AgentCreateCommand} from './commands/create.js';
import {AgentListCommand} from './commands/list.js';
import {AgentTokenCommand} from './commands/token.js';
import {AgentUseCommand} from './commands/use.js';
import {agentEvents} from './events.js';
import {agentProjection} from './projection.js';
import {RECORDED_SETTINGS} from '../settings/api.js';
import {AGENT_KEY} from './api.js';

export default definePlugin({
  name: 'agent',
  version: '0.1.0',
  commands: [AgentCreateCommand, AgentListCommand, AgentUseCommand, AgentTokenCommand],
  events: agentEvents,
  projections: [agentProjection],
  settings: [
    {
      key: AGENT_KEY,
      aliases: ['dispatch.agent'],
      type: 'string',
      default: '',
      description: 'the agent node this machine dispatches as (`spor agent use`); empty: person-scoped',
    },
  ],
  contributes: {
    [RECORDED_SETTINGS.name]: [{name: AGENT_KEY, slice: 'agent', field: 'current', command: 'spor agent use'}],
  },
});
