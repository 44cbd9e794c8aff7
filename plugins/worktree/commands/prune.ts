import {Command, Option} from 'clipanion';
import {SporCommand, CLOCK, ENV, HOST} from '../../../core/index.js';
import {gitRunner} from '../git.js';
import {inspectWorktrees, pruneBlocker} from '../inventory.js';
import {WORKTREE} from '../api.js';

/** A worktree with no run recorded is left alone this long: its dispatch may still be running the setup. */
export const PRUNE_GRACE_MS = 10 * 60_000;

/** `reason`: why the worktree was kept; `branch_kept`: why its branch stayed when the worktree went. */
interface Pruned {
  path: string;
  branch: string;
  action: 'removed' | 'forgotten' | 'kept';
  reason: string | null;
  branch_deleted: boolean;
  branch_kept: string | null;
}

export class WorktreesPruneCommand extends SporCommand {
  static override paths = [['worktrees', 'prune']];
  static override usage = Command.Usage({
    description: 'remove dispatch worktrees that are clean and whose runs ended (event `worktree-removed`)',
    details: `
      A worktree is kept while its run has not ended, while it has uncommitted changes, and for ten minutes after it was made when no run is recorded for it (its dispatch may still be setting it up). Its branch is deleted with it when spor cut the branch and it is merged into the main checkout's HEAD; otherwise the branch stays. A worktree whose folder is already gone is forgotten.
    `,
    examples: [['Clean up', '$0 worktrees prune']],
  });
  asJson = Option.Boolean('--json', false, {
    description: 'print [{path, branch, action: removed|forgotten|kept, reason, branch_deleted, branch_kept}]',
  });

  async execute(): Promise<number> {
    const {worktrees} = await this.get(HOST).read(['worktrees']);
    const rows = await inspectWorktrees(gitRunner(this.get(ENV)), Object.values(worktrees.byPath));
    const service = this.get(WORKTREE);
    const now = this.get(CLOCK).now();
    const results: Array<Pruned> = [];
    for (const row of rows) {
      const blocker = pruneBlocker(row, now, PRUNE_GRACE_MS);
      if (blocker) {
        results.push({
          path: row.path,
          branch: row.branch,
          action: 'kept',
          reason: blocker,
          branch_deleted: false,
          branch_kept: null,
        });
        continue;
      }
      const outcome = await service.remove(row.path);
      results.push({
        path: row.path,
        branch: row.branch,
        action: !outcome.removed ? 'kept' : row.exists ? 'removed' : 'forgotten',
        reason: outcome.kept ?? null,
        branch_deleted: outcome.branchDeleted,
        branch_kept: outcome.branchKept ?? null,
      });
    }
    if (this.asJson) {
      this.json(results);
      return 0;
    }
    if (results.length === 0) {
      this.out('no dispatch worktrees to prune');
      return 0;
    }
    for (const r of results) this.out(line(r));
    const gone = results.filter((r) => r.action !== 'kept').length;
    this.out(`pruned ${gone}, kept ${results.length - gone}`);
    return 0;
  }
}

const line = (r: Pruned): string => {
  if (r.action === 'kept') return `kept ${r.path}: ${r.reason ?? 'unknown reason'}`;
  const verb = r.action === 'removed' ? 'removed' : 'forgot (already gone)';
  if (r.branch_deleted) return `${verb} ${r.path} and its merged branch ${r.branch}`;
  return `${verb} ${r.path}${r.branch_kept ? `; kept branch ${r.branch}: ${r.branch_kept}` : ''}`;
};
