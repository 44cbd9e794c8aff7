import {definePlugin} from '../../core/index.js';
import {DispatchCommand} from './commands/dispatch.js';
import {dispatchEvents} from './events.js';
import {DispatchService} from './service.js';
import {DISPATCH} from './api.js';

export default definePlugin({
  name: 'dispatch',
  version: '0.1.0',
  commands: [DispatchCommand],
  events: dispatchEvents,
  settings: [
    {
      key: 'dispatch.harness',
      type: 'string',
      default: '',
      description:
        'the harness a dispatch uses when no profile names one (empty: the first harness the plugins contribute, claude-code among the built-ins)',
    },
    {
      key: 'dispatch.template',
      type: 'string',
      default: '',
      description: 'a prompt template file (see `spor dispatch --help` for placeholders); empty: the default prompt',
    },
  ],
  services: (r) => r.singleton(DISPATCH, DispatchService),
});
