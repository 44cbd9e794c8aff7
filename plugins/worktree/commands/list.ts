import {Command, Option} from 'clipanion';
import {SporCommand, ENV, HOST} from '../../../core/index.js';
import {worktreeLines} from '../format.js';
import {gitRunner} from '../git.js';
import {inspectWorktrees} from '../inventory.js';

export class WorktreesListCommand extends SporCommand {
  static override paths = [['worktrees'], ['worktrees', 'list']];
  static override usage = Command.Usage({
    description:
      'list the git worktrees spor made for dispatches, with their branch, run, and whether they are clean and merged',
    details:
      "`merged` means the branch is contained in the main checkout's HEAD. A worktree whose folder or git registration is gone shows as missing.",
    examples: [['As JSON', '$0 worktrees list --json']],
  });
  asJson = Option.Boolean('--json', false, {
    description:
      'print [{path, repo, branch, run, run_ended, exists, clean, changes, merged, created_branch, created_at}]',
  });

  async execute(): Promise<number> {
    const {worktrees} = await this.get(HOST).read(['worktrees']);
    const rows = await inspectWorktrees(gitRunner(this.get(ENV)), Object.values(worktrees.byPath));
    if (this.asJson) {
      this.json(rows);
      return 0;
    }
    if (rows.length === 0) {
      this.out('no dispatch worktrees; `spor dispatch --worktree` makes one');
      return 0;
    }
    for (const line of worktreeLines(rows)) this.out(line);
    return 0;
  }
}
