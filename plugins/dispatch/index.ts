import {definePlugin} from '../../core/index.js';
import {DispatchCommand} from './commands/dispatch.js';
import {dispatchEvents} from './events.js';
import {DispatchService} from './service.js';
import {RENEW_KEY, PUBLISH_AFTER_KEY, TEAM_STEP, TeamStep} from './team.js';
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
      key: 'dispatch.posture',
      type: 'string',
      default: 'edit',
      description:
        "what a dispatched agent may do: read-only, edit (files inside its checkout or worktree) or full (commands too); a profile's posture and --posture override it",
    },
    {
      key: 'dispatch.envPassthrough',
      type: 'string',
      default: '',
      description:
        "more of your environment variables the harness gets, besides the basics and its vendor's: names or prefixes ending in *, comma-separated (e.g. 'MY_GATEWAY_TOKEN, MYCO_*')",
    },
    {
      key: 'dispatch.template',
      type: 'string',
      default: '',
      description: 'a prompt template file (see `spor dispatch --help` for placeholders); empty: the default prompt',
    },
    {
      key: RENEW_KEY,
      type: 'string',
      default: '',
      description:
        "remote mode: how often a run's supervisor renews its claim (a duration such as 5m; empty: a third of the lease)",
    },
    {
      key: PUBLISH_AFTER_KEY,
      type: 'duration',
      default: '1h',
      description: "remote mode: a dispatch publishes this machine's capabilities again when the record is older",
    },
  ],
  services: (r) => {
    r.singleton(DISPATCH, DispatchService);
    r.singleton(TEAM_STEP, TeamStep);
  },
});
