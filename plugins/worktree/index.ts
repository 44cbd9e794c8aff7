import {definePlugin} from '../../core/index.js';
import {setupApprovalsProjection} from './approvals.js';
import {WorktreesApproveCommand} from './commands/approve.js';
import {WorktreesListCommand} from './commands/list.js';
import {WorktreesPruneCommand} from './commands/prune.js';
import {worktreeEvents} from './events.js';
import {worktreesProjection} from './projection.js';
import {WorktreeServiceImpl} from './service.js';
import {setupEnvSetting, worktreeSettings} from './settings.js';
import {WORKTREE} from './api.js';

export default definePlugin({
  name: 'worktree',
  version: '0.1.0',
  commands: [WorktreesListCommand, WorktreesPruneCommand, WorktreesApproveCommand],
  events: worktreeEvents,
  projections: [worktreesProjection, setupApprovalsProjection],
  settings: [...worktreeSettings, setupEnvSetting],
  services: (r) => r.singleton(WORKTREE, WorktreeServiceImpl),
});
