import {existsSync} from 'node:fs';
import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';

export class ReposListCommand extends SporCommand {
  static override paths = [['repos'], ['repos', 'list']];
  static override usage = Command.Usage({
    description: "list this machine's repo slugs and their directories, sorted by slug",
    examples: [['As JSON', '$0 repos list --json']],
  });
  asJson = Option.Boolean('--json', false, {description: 'print [{"slug": "...", "path": "..."}]'});

  async execute(): Promise<number> {
    const {repos} = await this.get(HOST).read(['repos']);
    const rows = Object.entries(repos.bySlug)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([slug, path]) => ({slug, path}));
    if (this.asJson) {
      this.json(rows);
      return 0;
    }
    if (rows.length === 0) {
      this.out('no repos mapped yet; add one with `spor repos add <slug> <path>`');
      return 0;
    }
    const width = Math.max(...rows.map((r) => r.slug.length));
    // One write for the table rather than one per row (a system call each).
    this.out(
      rows.map((r) => `${r.slug.padEnd(width)}  ${r.path}${existsSync(r.path) ? '' : '  (missing)'}`).join('\n'),
    );
    return 0;
  }
}
