import {existsSync, statSync} from 'node:fs';
import {resolve} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, HOST, checkRef} from '../../../core/index.js';
import {approveSetup} from '../approvals.js';
import {commandLine} from '../argv.js';
import {WORKTREE} from '../api.js';

export class WorktreesApproveCommand extends SporCommand {
  // `spor hooks approve` is where this lived before setup approvals moved to the worktree plugin.
  static override paths = [
    ['worktrees', 'approve'],
    ['hooks', 'approve'],
  ];
  static override usage = Command.Usage({
    description:
      "let dispatch run the worktree setup command a repository's committed .spor.json names (event `setup-approved`; alias `spor hooks approve`)",
    details: `
      A repository's \`.spor.json\` may set \`worktree.setup\` (formerly \`dispatch.worktreeSetup\`), a command to prepare each dispatch worktree. spor runs it only once this machine approved that exact command and the exact content of the executable it runs: this shows both (with the SHA-256 that covers them) and records the approval. When the command or one byte of the script changes, dispatch refuses again until you approve again. A setup command from this machine's own settings needs no approval.
    `,
    examples: [
      ['Approve the setup command of the repo mapped as web', '$0 worktrees approve web'],
      ['Of the checkout here', '$0 worktrees approve .'],
    ],
  });
  repo = Option.String({name: 'repo'});

  async execute(): Promise<number> {
    checkRef(this.repo, 'repo', 'give a slug from `spor repos list`, or a path (`.` for the current directory)');
    const host = this.get(HOST);
    const {repos} = await host.read(['repos']);
    const slug = Object.hasOwn(repos.bySlug, this.repo) ? this.repo : undefined;
    const dir = slug !== undefined ? (repos.bySlug[slug] as string) : resolve(this.context.cwd, this.repo);
    if (slug === undefined && !(existsSync(dir) && statSync(dir).isDirectory())) {
      throw new UsageError(`'${this.repo}' is neither a repo slug nor a directory`, {
        code: 'E_APPROVE_REPO',
        hint: 'give a slug from `spor repos list` or the path of a checkout',
      });
    }
    const setup = await this.get(WORKTREE).setupFor(dir, slug === undefined ? {} : {slug});
    if (!setup) {
      this.out(`no worktree setup command applies to ${slug ?? dir} (worktree.setup is not set); nothing to approve`);
      return 0;
    }
    const label = slug === undefined ? setup.repo : `${slug} (${setup.repo})`;
    const line = commandLine(setup.argv);
    if (setup.source !== 'repo') {
      const from = setup.origin ?? (setup.source === 'machine' ? "this machine's settings" : setup.source);
      this.out(
        `the setup command for ${label} comes from ${from}, not from the repository; it needs no approval: ${line}`,
      );
      return 0;
    }
    this.out(`repo     ${label}`);
    this.out(`command  ${line}   (from ${setup.origin ?? 'the repository'})`);
    this.out(`runs     ${setup.executable}`);
    this.out(`sha256   ${setup.sha256}   (of the command and the bytes of that file)`);
    const events = await host.handle(['setupApprovals'], ({setupApprovals}) =>
      approveSetup({repo: setup.repo, argv: setup.argv, sha256: setup.sha256}, setupApprovals),
    );
    this.out(
      events.length === 0
        ? 'already approved on this machine; nothing recorded'
        : 'approved: dispatch may run it in worktrees of this repository until the command or the script changes',
    );
    return 0;
  }
}
