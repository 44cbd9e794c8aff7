import {definePlugin} from '../../core/index.js';
import {briefCompiler} from './brief/brief.js';
import {BriefCompileCommand} from './commands/brief.js';
import {NodeAddCommand} from './commands/add.js';
import {EdgeAddCommand} from './commands/edge.js';
import {NodeGetCommand} from './commands/get.js';
import {GraphImportCommand} from './commands/import.js';
import {QueueNextCommand} from './commands/next.js';
import {PersonCreateCommand} from './commands/person/create.js';
import {NodePriorityCommand} from './commands/priority.js';
import {ProfileCreateCommand} from './commands/profile/create.js';
import {NodeReadyCommand} from './commands/ready.js';
import {NodeSetStatusCommand} from './commands/set-status.js';
import {graphEvents} from './model/events.js';
import {graphProjection} from './store/projection.js';
import {defaultRanker} from './queue/queue.js';
import {GraphReaderService} from './view/reader.js';
import {BRIEF_COMPILER, GRAPH_READER, QUEUE_RANKER} from './api.js';

export default definePlugin({
  name: 'graph',
  version: '0.1.0',
  commands: [
    NodeAddCommand,
    NodeGetCommand,
    NodeSetStatusCommand,
    EdgeAddCommand,
    NodePriorityCommand,
    NodeReadyCommand,
    PersonCreateCommand,
    ProfileCreateCommand,
    GraphImportCommand,
    QueueNextCommand,
    BriefCompileCommand,
  ],
  events: graphEvents,
  projections: [graphProjection],
  services: (r) => {
    r.singleton(GRAPH_READER, GraphReaderService);
    r.value(QUEUE_RANKER, defaultRanker);
    r.value(BRIEF_COMPILER, briefCompiler);
  },
});
