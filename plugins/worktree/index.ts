import {definePlugin} from '../../core/index.js';
import {WorktreesListCommand} from './commands/list.js';
import {WorktreesPruneCommand} from './commands/prune.js';
import {worktreeEvents} from './events.js';
import {worktreesProjection} from './projection.js';
import {WorktreeServiceImpl} from './service.js';
import {worktreeSettings} from './settings.js';
import {WORKTREE} from './api.js';

export default definePlugin({
  name: 'worktree',
  version: '0.1.0',
  commands: [WorktreesListCommand, WorktreesPruneCommand],
  events: worktreeEvents,
  projections: [worktreesProjection],
  settings: worktreeSettings,
  services: (r) => r.singleton(WORKTREE, WorktreeServiceImpl),
});
