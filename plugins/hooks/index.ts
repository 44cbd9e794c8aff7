import {resolve, definePlugin, EVENT_CATALOG} from '../../core/index.js';
import {HooksAddCommand} from './commands/add.js';
import {HooksListCommand} from './commands/list.js';
import {HooksRmCommand} from './commands/rm.js';
import {HookDispatcherService} from './dispatcher.js';
import {hookEvents} from './events.js';
import {hooksProjection} from './projection.js';
import {HOOK_DISPATCHER} from './api.js';

export default definePlugin({
  name: 'hooks',
  version: '0.1.0',
  commands: [HooksListCommand, HooksAddCommand, HooksRmCommand],
  events: hookEvents,
  projections: [hooksProjection],
  settings: [
    {
      key: 'hooks.timeout',
      type: 'duration',
      default: '30s',
      description: 'how long a hook may run before it is stopped, unless it was added with --timeout',
    },
    {
      key: 'hooks.maxDepth',
      type: 'number',
      default: 3,
      description: 'how deeply hooks that call spor may nest; at this depth hooks are not run (0 turns hooks off)',
    },
  ],
  reactions: [
    {
      name: 'run hook scripts',
      on: '*',
      // A gating event's hooks are run by the flow that waits on them, which reads their verdicts.
      run: async (event, ctx) => {
        if (!resolve(ctx.container, EVENT_CATALOG).isGating(event.type))
          await resolve(ctx.container, HOOK_DISPATCHER).run(event, ctx);
      },
    },
  ],
  services: (r) => r.singleton(HOOK_DISPATCHER, HookDispatcherService),
});
