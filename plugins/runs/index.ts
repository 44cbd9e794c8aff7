import {definePlugin} from '../../core/index.js';
import {RunsListCommand} from './commands/list.js';
import {RunsLogCommand} from './commands/log.js';
import {RunsStopCommand} from './commands/stop.js';
import {RunsSuperviseCommand} from './commands/supervise.js';
import {runEvents} from './events.js';
import {runsProjection} from './projection.js';
import {RunsServiceImpl} from './service.js';
import {harnessProblem} from './harness.js';
import {companionProblem} from './companion.js';
import {HARNESSES, RUN_COMPANIONS, RUNS} from './api.js';
import {RETENTION_KEY, STALL_KEY, TIMEOUT_KEY} from './service.js';

export default definePlugin({
  name: 'runs',
  version: '0.1.0',
  commands: [RunsListCommand, RunsLogCommand, RunsStopCommand, RunsSuperviseCommand],
  events: runEvents,
  projections: [runsProjection],
  settings: [
    {
      key: RETENTION_KEY,
      aliases: ['dispatch.runRetentionDays'],
      type: 'number',
      default: 14,
      description: 'days an ended run stays listed (its files are removed after; its events stay)',
    },
    {
      key: TIMEOUT_KEY,
      type: 'duration',
      default: '4h',
      description: 'the longest a run may take: the supervisor then stops it (failed/timeout)',
    },
    {
      key: STALL_KEY,
      type: 'duration',
      default: '30m',
      description:
        'the longest a run may go without output (retries of an unreachable model do not count): the supervisor then stops it (failed/stalled, or model-unreachable)',
    },
  ],
  points: {
    [HARNESSES.name]: {
      description: 'launch adapters for agent CLIs, picked by `spor dispatch` and read by the supervisor',
      check: harnessProblem,
    },
    [RUN_COMPANIONS.name]: {
      description: 'work the run supervisor does beside a live run (the remote plugin keeps its lease)',
      check: companionProblem,
    },
  },
  services: (r) => r.singleton(RUNS, RunsServiceImpl),
});
