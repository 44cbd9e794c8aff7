import {existsSync, realpathSync} from 'node:fs';
import {dirname, isAbsolute, join, resolve} from 'node:path';
import {
  inject,
  injectable,
  parseEnvPatterns,
  RefusalError,
  SporError,
  UsageError,
  type Host,
  type Settings,
  type SettingsView,
  ENV,
  HOST,
  SETTINGS,
} from '../../core/index.js';
import {isSetupApproved} from './approvals.js';
import {commandLine, splitCommand} from './argv.js';
import {setupEnv} from './env.js';
import type {WorktreeCreated, WorktreeRemoved, WorktreeSetupRan} from './events.js';
import {fingerprint, resolveSetupExecutable} from './fingerprint.js';
import {gitComplaint, gitRunner, parseWorktreeList, type Git, type WorktreeEntry} from './git.js';
import {branchOnDisk, plainGitDir, registeredAt} from './gitFiles.js';
import {ensureIgnored, isIgnored} from './ignore.js';
import {copyIncluded} from './include.js';
import {branchOf, worktreeName} from './name.js';
import type {WorktreeRecord} from './projection.js';
import {
  settingWhere,
  WORKTREE_DIR_KEY,
  WORKTREE_KEY,
  WORKTREE_SETUP_ENV_KEY,
  WORKTREE_SETUP_KEY,
  worktreeDirOf,
} from './settings.js';
import {
  WORKTREE_READS,
  type CreatedWorktree,
  type RemoveOutcome,
  type SetupCommand,
  type SetupOutcome,
  type SetupRunOptions,
  type WorktreePlan,
  type WorktreeReads,
  type WorktreeService,
} from './api.js';

/** The checkout a target directory belongs to. */
interface Repo {
  root: string;
  excludeFile: string;
  head: string;
}

const quoteArg = (s: string): string => commandLine([s]);

const unapproved = (s: SetupCommand, repo: string): RefusalError =>
  new RefusalError(
    `the worktree setup command from ${s.origin ?? repo} is not approved on this machine: ${commandLine(s.argv)}`,
    {
      code: 'E_SETUP_UNAPPROVED',
      hint: `read it (${s.executable}), then approve it: ${s.approveCommand ?? `spor worktrees approve ${quoteArg(repo)}`}`,
    },
  );

// The repos map names checkouts by slug; the approve command reads best with one.
const slugOf = (root: string, bySlug: Record<string, string>): string | undefined => {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return Object.entries(bySlug).find(([, path]) => real(path) === root)?.[0];
};

/** See WorktreeService (api.ts). */
@injectable()
export class WorktreeServiceImpl implements WorktreeService {
  private readonly git: Git;

  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(SETTINGS) private readonly settings: Settings,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
  ) {
    this.git = gitRunner(env);
  }

  async enabled(repoDir: string, flag?: boolean, settings?: SettingsView): Promise<boolean> {
    return (settings ?? (await this.settings.view())).get(WORKTREE_KEY, {repoDir, flag}).value === true;
  }

  async plan(
    repoDir: string,
    opts: {name: string; nodeId?: string; slug?: string; base?: string},
    given?: WorktreeReads,
  ): Promise<WorktreePlan> {
    const {settings, state} = given ?? (await this.reads());
    const name = worktreeName(opts.nodeId ?? opts.name);
    const branch = branchOf(name);
    // The folder as it will be when repoDir is the checkout's top (dispatch passes the top): then
    // whether it is ignored is one more question asked with the others.
    const guessed = worktreeDirOf(repoDir, settings.get(WORKTREE_DIR_KEY, {repoDir}));
    // Which worktrees git lists matters only when the branch or the folder is already there (a
    // worktree is on a branch, in a folder): for a new run name, that is one git process fewer.
    // git answers these from any directory of the checkout: ask them all at once.
    const gitDir = plainGitDir(repoDir);
    const branchKnown = gitDir ? branchOnDisk(gitDir, branch) : undefined;
    const [repoOut, branchOut, ignoredOut, listedOut, baseOut] = await Promise.allSettled([
      this.repoOf(repoDir),
      branchKnown ??
        this.git(repoDir, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], {wait: true}).then((r) => r.ok),
      isIgnored(this.git, repoDir, guessed),
      existsSync(join(guessed, name)) ? this.worktrees(repoDir) : Promise.resolve(undefined),
      opts.base === undefined
        ? Promise.resolve(undefined)
        : this.git(repoDir, ['rev-parse', '--verify', '-q', '--end-of-options', `${opts.base}^{commit}`], {wait: true}),
    ]);
    // The checkout's own complaint (not a checkout, no commit) explains the others' failures.
    for (const out of [repoOut, branchOut, listedOut]) if (out.status === 'rejected') throw out.reason;
    const [repo, branchExists] = [
      (repoOut as PromiseFulfilledResult<Repo>).value,
      (branchOut as PromiseFulfilledResult<boolean>).value,
    ];
    const folder =
      repo.root === repoDir ? guessed : worktreeDirOf(repo.root, settings.get(WORKTREE_DIR_KEY, {repoDir: repo.root}));
    const ignored = repo.root === repoDir && ignoredOut.status === 'fulfilled' && ignoredOut.value;
    const base = baseOut.status === 'fulfilled' ? baseOut.value : undefined;
    if (opts.base !== undefined && !base?.ok) {
      throw new RefusalError(`no commit '${opts.base}' in ${repo.root} to cut the worktree from`, {
        code: 'E_WORKTREE_BASE',
        hint: `give --base a branch, tag or commit of that repository (see \`git -C ${quoteArg(repo.root)} branch -a\`)`,
      });
    }
    const target = join(folder, name);
    const listed =
      (listedOut as PromiseFulfilledResult<Array<WorktreeEntry> | undefined>).value ??
      (branchExists || existsSync(target) || registeredAt(repo.excludeFile, target) !== false
        ? await this.worktrees(repo.root)
        : []);
    const live = (w: WorktreeEntry | undefined): w is WorktreeEntry =>
      w !== undefined && !w.prunable && existsSync(w.path);
    const onBranch = listed.find((w) => w.branch === `refs/heads/${branch}`);
    const atPath = listed.find((w) => w.path === target);
    let reuse: WorktreePlan['reuse'];
    let path = target;
    if (live(onBranch)) {
      if (onBranch === listed[0]) {
        throw new RefusalError(`branch ${branch} is checked out in the main checkout ${onBranch.path}`, {
          code: 'E_WORKTREE_BRANCH',
          hint: 'switch the main checkout to another branch, or give the run another name',
        });
      }
      reuse = 'existing-worktree';
      path = onBranch.path;
    } else {
      if (live(atPath)) {
        throw new RefusalError(
          `${target} is already a worktree, on ${atPath.branch?.replace('refs/heads/', 'branch ') ?? 'a detached HEAD'}`,
          {
            code: 'E_WORKTREE_PATH',
            hint: 'give the run another name, or remove that worktree (git worktree remove)',
          },
        );
      }
      if (existsSync(target)) {
        throw new RefusalError(`${target} exists and is not a git worktree`, {
          code: 'E_WORKTREE_PATH',
          hint: 'move it away, or give the run another name',
        });
      }
      reuse = branchExists ? 'existing-branch' : 'new';
    }
    if (opts.base !== undefined && reuse !== 'new') {
      throw new RefusalError(`branch ${branch} exists already, so --base ${opts.base} cannot apply`, {
        code: 'E_WORKTREE_BASE',
        hint: 'give the run another --name, or dispatch without --base to continue on that branch',
      });
    }
    const setup = this.setupAt(repo.root, opts.slug, {settings, state});
    return {
      repo: repo.root,
      name,
      path,
      branch,
      base: base?.stdout.trim() || repo.head,
      ...(opts.base !== undefined ? {baseRef: opts.base} : {}),
      reuse,
      ...(setup ? {setup} : {}),
      ...(opts.slug ? {slug: opts.slug} : {}),
      ...(opts.nodeId ? {nodeId: opts.nodeId} : {}),
      stale: reuse !== 'existing-worktree' && (onBranch !== undefined || atPath !== undefined),
      ignored: ignored && dirname(path) === folder,
    };
  }

  async setupFor(repoDir: string, opts: {slug?: string} = {}): Promise<SetupCommand | undefined> {
    const root = (await this.repoOf(repoDir)).root;
    return this.setupAt(root, opts.slug, await this.reads());
  }

  // The plan says whether its setup command may run; `runSetup` checks the copy that will run.
  async create(plan: WorktreePlan): Promise<CreatedWorktree> {
    if (plan.setup && !plan.setup.approved) throw unapproved(plan.setup, plan.repo);
    const repo = await this.layoutOf(plan.repo);
    if (!plan.ignored) await ensureIgnored(this.git, repo.root, repo.excludeFile, dirname(plan.path));
    if (plan.reuse === 'existing-worktree') {
      if (!existsSync(plan.path))
        throw new RefusalError(`the worktree ${plan.path} is gone`, {
          code: 'E_WORKTREE_GONE',
          hint: 'plan the dispatch again',
        });
      return this.recordCreated(plan, {worktree: false, branch: false});
    }
    if (plan.stale) await this.git(repo.root, ['worktree', 'prune'], {write: true, wait: true});
    const args =
      plan.reuse === 'new'
        ? ['worktree', 'add', '-b', plan.branch, plan.path, plan.base]
        : ['worktree', 'add', plan.path, plan.branch];
    const added = await this.git(repo.root, args, {write: true, wait: true});
    if (!added.ok) {
      // Another dispatch of the same name may have got there first: take what it made.
      const again = await this.plan(plan.repo, {name: plan.name, slug: plan.slug}).catch(() => undefined);
      if (again?.reuse === 'existing-worktree' && again.path === plan.path)
        return this.recordCreated(plan, {worktree: false, branch: false});
      throw new RefusalError(`could not create the worktree ${plan.path}: ${gitComplaint(added)}`, {
        code: 'E_WORKTREE_ADD',
        hint: `see \`git -C ${quoteArg(plan.repo)} worktree list\``,
      });
    }
    const included = await copyIncluded(this.git, repo.root, plan.path, dirname(plan.path));
    return this.recordCreated(plan, {worktree: true, branch: plan.reuse === 'new'}, included);
  }

  async runSetup(created: CreatedWorktree, opts: SetupRunOptions): Promise<SetupOutcome | undefined> {
    const setup = created.setup;
    if (!setup) return undefined;
    let executable: string;
    try {
      executable = resolveSetupExecutable(setup.argv[0] as string, created.path, this.env.PATH, setup.from);
      // What runs is the copy in the worktree (the branch's, not the main checkout's): it must be
      // the one the plan approved, or one approved on its own.
      const copy = setup.source === 'repo' ? fingerprint(setup.argv, executable) : setup.sha256;
      if (copy !== setup.sha256 && !(await this.isApproved(created.repo, copy))) {
        throw new RefusalError(
          `the worktree's copy of the setup command (${executable}) differs from what this machine approved`,
          {code: 'E_SETUP_UNAPPROVED'},
        );
      }
    } catch (e) {
      if (!(e instanceof SporError)) throw e;
      const fix =
        e.code === 'E_SETUP_UNAPPROVED'
          ? `commit the script you approved, or approve the committed one (${setup.approveCommand ?? 'spor worktrees approve <repo>'}), then dispatch again`
          : undefined;
      throw await this.failed(created, e.message, setup, fix);
    }
    const {execa} = await import('execa');
    const started = performance.now();
    const sub = execa(executable, setup.argv.slice(1), {
      cwd: created.path,
      env: setupEnv(
        this.env,
        {
          worktree: created.path,
          mainCheckout: created.repo,
          slug: opts.slug ?? created.slug,
          nodeId: opts.nodeId ?? created.nodeId,
        },
        setup.passEnv,
      ),
      extendEnv: false,
      shell: false,
      reject: false,
      stdin: 'ignore',
      buffer: false,
      stripFinalNewline: false,
    });
    sub.stdout?.on('data', (chunk: Buffer) => opts.stdout.write(chunk));
    sub.stderr?.on('data', (chunk: Buffer) => opts.stderr.write(chunk));
    const r = await sub;
    const outcome: SetupOutcome = {
      argv: setup.argv,
      exit: r.exitCode ?? null,
      signal: r.signal ?? null,
      durationMs: Math.round(performance.now() - started),
    };
    const error =
      outcome.exit !== null || outcome.signal !== null
        ? undefined
        : (r.originalMessage || r.shortMessage || 'could not start').split('\n')[0];
    const ran: WorktreeSetupRan['data'] = {
      path: created.path,
      argv: setup.argv,
      exit: outcome.exit,
      signal: outcome.signal,
      duration_ms: outcome.durationMs,
      ...(error === undefined ? {} : {error}),
    };
    await this.host.append([{type: 'worktree-setup-ran', data: ran}]);
    if (outcome.exit === 0) return outcome;
    const how =
      error !== undefined
        ? `could not start (${error})`
        : outcome.exit !== null
          ? `exited ${outcome.exit}`
          : `was killed by ${outcome.signal ?? 'a signal'}`;
    throw await this.failed(created, `worktree setup failed: ${commandLine(setup.argv)} ${how}`, setup);
  }

  async remove(path: string): Promise<RemoveOutcome> {
    const {worktrees} = await this.host.read(['worktrees']);
    const record = worktrees.byPath[resolve(path)];
    if (!record)
      throw new RefusalError(`${path} is not a dispatch worktree spor made`, {
        code: 'E_WORKTREE_UNKNOWN',
        hint: 'see `spor worktrees list`',
      });
    return this.removeRecord(record);
  }

  /** Removes (or forgets, when already gone) a recorded worktree; keeps one with changes. */
  private async removeRecord(record: WorktreeRecord): Promise<RemoveOutcome> {
    const base = {path: record.path, branch: record.branch, removed: false, branchDeleted: false};
    const repoThere = existsSync(record.repo);
    const listed = repoThere ? await this.worktrees(record.repo).catch(() => []) : [];
    const entry = listed.find((w) => w.path === record.path);
    if (existsSync(record.path) && entry && !entry.prunable) {
      const status = await this.git(record.path, ['status', '--porcelain']);
      if (!status.ok) return {...base, kept: `git status failed: ${gitComplaint(status)}`};
      const changes = status.stdout.split('\n').filter((l) => l.trim() !== '').length;
      if (changes > 0) return {...base, kept: `${changes} uncommitted change${changes === 1 ? '' : 's'}`};
      const rm = await this.git(record.repo, ['worktree', 'remove', record.path], {write: true});
      if (!rm.ok) return {...base, kept: gitComplaint(rm)};
    } else if (existsSync(record.path)) {
      return {...base, kept: 'the folder is there but git no longer lists it as a worktree'};
    } else if (entry) {
      await this.git(record.repo, ['worktree', 'prune'], {write: true});
    }
    let branchDeleted = false;
    let branchKept: string | undefined;
    if (!repoThere) branchKept = `the repository ${record.repo} is gone`;
    else if (!(await this.git(record.repo, ['rev-parse', '--verify', '-q', `refs/heads/${record.branch}`])).ok)
      branchKept = undefined;
    else if (!record.created_branch) branchKept = 'it existed before spor used it';
    else if (!(await this.git(record.repo, ['merge-base', '--is-ancestor', `refs/heads/${record.branch}`, 'HEAD'])).ok)
      branchKept = "not merged into the main checkout's HEAD";
    else {
      const d = await this.git(record.repo, ['branch', '-d', record.branch], {write: true});
      branchDeleted = d.ok;
      if (!d.ok) branchKept = gitComplaint(d);
    }
    const removed: WorktreeRemoved['data'] = {path: record.path, branch: record.branch, branch_deleted: branchDeleted};
    await this.host.append([{type: 'worktree-removed', data: removed}]);
    return {...base, removed: true, branchDeleted, ...(branchKept ? {branchKept} : {})};
  }

  /**
   * After a failed or refused setup: removes what this run created when the setup left the
   * worktree clean, keeps it otherwise; returns the error to throw, saying which.
   */
  private async failed(
    created: CreatedWorktree,
    message: string,
    setup: SetupCommand,
    fix = `fix ${setup.from}, then dispatch again`,
  ): Promise<RefusalError> {
    if (!created.created.worktree) {
      return new RefusalError(message, {
        code: 'E_SETUP_FAILED',
        hint: `the worktree ${created.path} existed before this run and was left as it is; ${fix}`,
      });
    }
    const status = await this.git(created.path, ['status', '--porcelain']);
    if (!status.ok || status.stdout.trim() !== '') {
      return new RefusalError(
        `${message}; kept the worktree ${created.path} (branch ${created.branch}) because the setup left changes in it`,
        {
          code: 'E_SETUP_FAILED',
          hint: `look with \`git -C ${quoteArg(created.path)} status\`; remove it with \`git worktree remove --force ${quoteArg(created.path)}\``,
        },
      );
    }
    const rm = await this.git(created.repo, ['worktree', 'remove', created.path], {write: true});
    if (!rm.ok) {
      return new RefusalError(
        `${message}; kept the worktree ${created.path} (branch ${created.branch}): ${gitComplaint(rm)}`,
        {code: 'E_SETUP_FAILED', hint: fix},
      );
    }
    // `-d`, not `-D`: a branch the setup committed to is not merged into HEAD and stays.
    const branchDeleted =
      created.created.branch && (await this.git(created.repo, ['branch', '-d', created.branch], {write: true})).ok;
    const removed: WorktreeRemoved['data'] = {
      path: created.path,
      branch: created.branch,
      branch_deleted: branchDeleted,
    };
    await this.host.append([{type: 'worktree-removed', data: removed}]);
    const what = branchDeleted
      ? `the worktree ${created.path} and branch ${created.branch}`
      : `the worktree ${created.path}`;
    return new RefusalError(message, {code: 'E_SETUP_FAILED', hint: `removed ${what} this run created; ${fix}`});
  }

  private async recordCreated(
    plan: WorktreePlan,
    created: CreatedWorktree['created'],
    included: Array<string> = [],
  ): Promise<CreatedWorktree> {
    const data: WorktreeCreated['data'] = {
      path: plan.path,
      branch: plan.branch,
      repo: plan.repo,
      reused: !created.worktree,
      created_branch: created.branch,
      ...(included.length > 0 ? {included} : {}),
    };
    await this.host.append([{type: 'worktree-created', data}]);
    return {...plan, created};
  }

  /** What `plan` and `setupFor` read when the caller gave nothing: one settings view and the slices. */
  private async reads(): Promise<WorktreeReads> {
    const [settings, state] = await Promise.all([this.settings.view(), this.host.read(WORKTREE_READS)]);
    return {settings, state};
  }

  private setupAt(root: string, slug: string | undefined, {settings, state}: WorktreeReads): SetupCommand | undefined {
    const s = settings.get(WORKTREE_SETUP_KEY, {repoDir: root});
    const text = String(s.value).trim();
    if (text === '') return undefined;
    const where = settingWhere(s);
    const argv = splitCommand(text, where);
    if (argv.length === 0) return undefined;
    const executable = resolveSetupExecutable(argv[0] as string, root, this.env.PATH, where);
    const sha256 = fingerprint(argv, executable);
    const passed = parseEnvPatterns(String(settings.get(WORKTREE_SETUP_ENV_KEY).value));
    if (passed.bad !== undefined)
      throw new UsageError(
        `${WORKTREE_SETUP_ENV_KEY} has '${passed.bad}', which is not a variable name or a prefix ending in *`,
        {code: 'E_SETUP_ENV', hint: `e.g. spor config set ${WORKTREE_SETUP_ENV_KEY} 'NPM_TOKEN'`},
      );
    const base = {
      passEnv: passed.patterns,
      repo: root,
      argv,
      source: s.source,
      ...(s.origin ? {origin: s.origin} : {}),
      from: where,
      executable,
      sha256,
    };
    if (s.source !== 'repo') return {...base, approved: true};
    return {
      ...base,
      approved: isSetupApproved({repo: root, sha256}, state.setupApprovals),
      approveCommand: `spor worktrees approve ${slug ?? slugOf(root, state.repos.bySlug) ?? quoteArg(root)}`,
    };
  }

  private async isApproved(repo: string, sha256: string): Promise<boolean> {
    const {setupApprovals} = await this.host.read(['setupApprovals']);
    return isSetupApproved({repo, sha256}, setupApprovals);
  }

  // Where a checkout's top and exclude file are never changes; create() after plan() reuses them.
  private readonly layouts = new Map<string, Repo>();

  private async repoOf(dir: string): Promise<Repo> {
    const repo = await this.readRepo(dir);
    this.layouts.set(dir, repo);
    return repo;
  }

  /** The checkout's root and exclude file (HEAD may be stale: do not use it). */
  private async layoutOf(dir: string): Promise<Repo> {
    return this.layouts.get(dir) ?? this.repoOf(dir);
  }

  private async readRepo(dir: string): Promise<Repo> {
    if (!existsSync(dir))
      throw new RefusalError(`directory not found: ${dir}`, {
        code: 'E_WORKTREE_REPO',
        hint: 'check the repos map (`spor repos list`) or --dir',
      });
    const r = await this.git(
      dir,
      ['rev-parse', '--show-toplevel', '--git-path', 'info/exclude', '--verify', '-q', 'HEAD'],
      {wait: true},
    );
    const [root, exclude, head] = r.stdout.split('\n');
    if (r.exitCode === 1 && root && exclude) {
      throw new RefusalError(`${root} has no commit yet, so there is nothing to cut a worktree from`, {
        code: 'E_WORKTREE_REPO',
        hint: 'commit something first, or dispatch with --no-worktree',
      });
    }
    if (!r.ok || !root || !exclude || !head) {
      throw new RefusalError(`${dir} is not inside a git checkout: ${gitComplaint(r)}`, {
        code: 'E_WORKTREE_REPO',
        hint: 'worktrees need a git repository; dispatch with --no-worktree',
      });
    }
    // --git-path answers relative to the directory git ran in.
    return {root, excludeFile: isAbsolute(exclude) ? exclude : resolve(dir, exclude), head};
  }

  private async worktrees(root: string): Promise<Array<WorktreeEntry>> {
    const r = await this.git(root, ['worktree', 'list', '--porcelain'], {wait: true});
    if (!r.ok)
      throw new RefusalError(`cannot list the worktrees of ${root}: ${gitComplaint(r)}`, {code: 'E_WORKTREE_REPO'});
    return parseWorktreeList(r.stdout);
  }
}
