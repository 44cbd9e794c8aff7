import {definePlugin} from '../../core/index.js';
import {ReposAddCommand} from './commands/add.js';
import {ReposListCommand} from './commands/list.js';
import {ReposRmCommand} from './commands/rm.js';
import {ReposTagCommand} from './commands/tag.js';
import {ReposTagsCommand} from './commands/tags.js';
import {ReposUntagCommand} from './commands/untag.js';
import {detectorProblem, markerDetectors} from './detectors.js';
import {repoEvents} from './events.js';
import {reposProjection} from './projection.js';
import {ReposServiceImpl} from './service.js';
import {DETECTORS, REPOS} from './api.js';

export default definePlugin({
  name: 'repos',
  version: '0.1.0',
  commands: [ReposListCommand, ReposAddCommand, ReposRmCommand, ReposTagsCommand, ReposTagCommand, ReposUntagCommand],
  events: repoEvents,
  projections: [reposProjection],
  points: {
    [DETECTORS.name]: {description: 'repo tag suggestions for `spor repos tag <slug>`', check: detectorProblem},
  },
  contributes: {[DETECTORS.name]: markerDetectors},
  services: (r) => r.singleton(REPOS, ReposServiceImpl),
});
