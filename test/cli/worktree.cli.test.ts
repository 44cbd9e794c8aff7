import {execFileSync} from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {createRequire} from 'node:module';
import {delimiter, dirname, join} from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import type {boot as bootFn} from '../../core/bootstrap.js';
import type {builtinPlugins as builtinsFn} from '../../core/builtins.js';
import type {runCli as runCliFn} from '../../core/cli.js';
import type {Clock} from '../../core/clock.js';
import type {Host} from '../../core/host.js';
import type {CreatedWorktree, WorktreeService} from '../../plugins/worktree/api.js';
import {readLog, type LoggedEvent} from '../helpers/readLog.js';
import {ROOT, runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

// Real git repositories and worktrees in temporary directories. The WORKTREE service has no
// command of its own (dispatch, its caller, is a later plugin), so it is driven through the built
// bundle (dist/core.js, the same code the binary runs); its commands run as the built binary.
interface CoreBundle {
  boot: typeof bootFn;
  builtinPlugins: typeof builtinsFn;
  runCli: typeof runCliFn;
}
const core = createRequire(import.meta.url)('../../dist/core.js') as CoreBundle;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const SETUP_NODE = join(ROOT, 'hooks', 'setup-node');

const which = (name: string): string => {
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`${name} is not on PATH`);
};
const GIT = which('git');

// Built from nothing, so GIT_* variables of whatever runs the tests never reach git here.
// GIT_OPTIONAL_LOCKS=0: looking at a repository must not rewrite its index between snapshots.
const gitEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  LANG: 'C.UTF-8',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_OPTIONAL_LOCKS: '0',
};
const git = (cwd: string, ...args: Array<string>): string =>
  execFileSync(GIT, args, {cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
const gitOk = (cwd: string, ...args: Array<string>): boolean => {
  try {
    git(cwd, ...args);
    return true;
  } catch {
    return false;
  }
};

const write = (dir: string, files: Record<string, string>, mode?: number): void => {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), {recursive: true});
    writeFileSync(join(dir, rel), text);
    if (mode !== undefined) chmodSync(join(dir, rel), mode);
  }
};

/** A stub setup command: records its argv, cwd and environment, prints a line on each stream. */
const RECORD_SCRIPT = `#!/usr/bin/env node
(async () => {
  const fs = await import('node:fs');
  const args = process.argv.slice(2);
  fs.appendFileSync(process.env.SETUP_RECORD, JSON.stringify({argv: args, cwd: process.cwd(), env: process.env}) + '\\n');
  process.stdout.write('setup says hello\\n');
  process.stderr.write('setup warns\\n');
  if (args.includes('--dirty')) fs.writeFileSync('left-behind.txt', 'x');
  const exit = args.find((a) => a.startsWith('--exit='));
  process.exitCode = exit ? Number(exit.slice(7)) : 0;
})();
`;

/** A git repository with one commit holding README.md, scripts/record and `files`. */
const makeRepo = (files: Record<string, string> = {}): string => {
  const dir = tempDir('spor-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Spor Test');
  git(dir, 'config', 'user.email', 'test@spor.invalid');
  write(dir, {'README.md': '# repo\n', ...files});
  write(dir, {'scripts/record': RECORD_SCRIPT}, 0o755);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
};

const commitAll = (dir: string, message: string): void => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
};

/** Everything a plan must leave alone in a repository. */
const repoState = (repo: string) => ({
  worktrees: git(repo, 'worktree', 'list', '--porcelain'),
  refs: git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
  exclude: existsSync(join(repo, '.git/info/exclude')) ? readFileSync(join(repo, '.git/info/exclude'), 'utf8') : null,
  status: git(repo, 'status', '--porcelain', '--ignored'),
  head: git(repo, 'rev-parse', 'HEAD'),
  files: git(repo, 'ls-files', '-s'),
});

// What the dispatch and runs plugins record around a run in a worktree, in the shapes they use.
const started = (runId: string, worktree: string) => ({
  type: 'dispatch-started',
  data: {
    run_id: runId,
    name: runId,
    mode: 'task',
    task: 'test',
    harness: 'claude-code',
    dir: worktree,
    repo_dir: worktree,
    dir_source: 'dir',
    worktree,
    branch: 'spor/x',
    argv: ['claude'],
  },
});
const ended = (runId: string) => ({
  type: 'run-ended',
  data: {
    run_id: runId,
    state: 'done',
    class: 'completed',
    signal: 'exit 0',
    reason: 'test',
    exit_code: 0,
    exit_signal: null,
    has_report: false,
  },
});

const sporEnvOf = (home: string, env: Record<string, string>): Record<string, string> => ({
  HOME: home,
  SPOR_HOME: join(home, '.spor'),
  PATH: process.env.PATH ?? '',
  TZ: 'UTC',
  ...env,
});

interface Spor {
  worktree: WorktreeService;
  host: Host;
}
const spor = async (home: string, env: Record<string, string> = {}, cwd = home): Promise<Spor> => {
  // The recording setup stub needs SETUP_RECORD, which the setup's environment filter lets through
  // only when named, as a user would name it.
  const pass: Record<string, string> = env.SETUP_RECORD !== undefined ? {SPOR_WORKTREE_SETUPENV: 'SETUP_RECORD'} : {};
  const {container, registry} = await core.boot({
    env: sporEnvOf(home, {...pass, ...env}),
    cwd,
    stderr: new Capture(),
    builtins: core.builtinPlugins(),
  });
  const named = (description: string): symbol => {
    const found = [...registry.tokens].find((s) => s.description === description);
    if (!found) throw new Error(`no token ${description}`);
    return found;
  };
  return {
    worktree: container.resolve<WorktreeService>(named('spor.worktree.Worktree')),
    host: container.resolve<Host>(named('spor.core.Host')),
  };
};

/** Runs one spor command line in this process on the built bundle (for a clock the binary cannot be given). */
const sporCli = async (
  args: Array<string>,
  home: string,
  clock?: Clock,
): Promise<{code: number; stdout: string; stderr: string}> => {
  const env = sporEnvOf(home, {});
  const stdout = new Capture();
  const stderr = new Capture();
  const {container, registry} = await core.boot({env, cwd: home, stderr, builtins: core.builtinPlugins(), clock});
  const code = await core.runCli(
    args,
    {stdin: new PassThrough(), stdout, stderr, env, cwd: home},
    container,
    registry,
    '0.0.0-test',
  );
  return {code, stdout: stdout.text, stderr: stderr.text};
};

const setMachine = async (home: string, key: string, value: string): Promise<void> => {
  const r = await sporCli(['config', 'set', key, value], home);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
};

const events = (home: string, ...types: Array<string>): Array<LoggedEvent> =>
  readLog(home).filter((e) => types.includes(e.type));
const recorded = (file: string): Array<{argv: Array<string>; cwd: string; env: Record<string, string>}> =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as never)
    : [];
const streams = () => ({stdout: new Capture(), stderr: new Capture()});
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('WORKTREE.plan', () => {
  it('says where the worktree would go and changes nothing: no worktree, branch, ignore rule, event or index write', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    mkdirSync(join(repo, 'src/deep'), {recursive: true});
    const {worktree} = await spor(home);
    const before = repoState(repo);
    const plan = await worktree.plan(join(repo, 'src/deep'), {name: 'Fix the login bug!', slug: 'web'});
    expect(plan).toEqual({
      repo,
      name: 'fix-the-login-bug',
      path: join(repo, '.claude/worktrees/fix-the-login-bug'),
      branch: 'spor/fix-the-login-bug',
      base: git(repo, 'rev-parse', 'HEAD'),
      reuse: 'new',
      slug: 'web',
      stale: false,
      ignored: false,
    });
    expect((await worktree.plan(repo, {name: 'anything at all', nodeId: 'task-retry-emails'})).branch).toBe(
      'spor/task-retry-emails',
    );
    expect(repoState(repo)).toEqual(before);
    // A rule that already covers the folder is seen while planning, so creating adds none.
    writeFileSync(join(repo, '.git', 'info', 'exclude'), '/.claude/\n');
    expect((await worktree.plan(repo, {name: 'covered'})).ignored).toBe(true);
    expect(existsSync(join(repo, '.claude'))).toBe(false);
    expect(readLog(home)).toEqual([]);
  });

  it('refuses a directory that is not a git checkout, a repository without a commit, and a folder in the way', async () => {
    const {home} = tempHome();
    const {worktree} = await spor(home);
    const plain = tempDir();
    await expect(worktree.plan(plain, {name: 'x'})).rejects.toMatchObject({
      code: 'E_WORKTREE_REPO',
      exitCode: 1,
      message: expect.stringContaining(`${plain} is not inside a git checkout`),
    });
    const empty = tempDir();
    git(empty, 'init', '-q', '-b', 'main');
    await expect(worktree.plan(empty, {name: 'x'})).rejects.toMatchObject({
      code: 'E_WORKTREE_REPO',
      message: `${empty} has no commit yet, so there is nothing to cut a worktree from`,
    });
    const repo = makeRepo();
    write(repo, {'.claude/worktrees/x/notes.txt': 'mine'});
    await expect(worktree.plan(repo, {name: 'x'})).rejects.toMatchObject({
      code: 'E_WORKTREE_PATH',
      message: `${join(repo, '.claude/worktrees/x')} exists and is not a git worktree`,
    });
    git(repo, 'checkout', '-q', '-b', 'spor/y');
    await expect(worktree.plan(repo, {name: 'y'})).rejects.toMatchObject({
      code: 'E_WORKTREE_BRANCH',
      message: `branch spor/y is checked out in the main checkout ${repo}`,
    });
  });

  it("takes dispatch.worktree and dispatch.worktreeDir from the target repository's .spor.json, not the launching directory's", async () => {
    const {home} = tempHome();
    const launching = makeRepo({'.spor.json': JSON.stringify({dispatch: {worktree: false, worktreeDir: 'elsewhere'}})});
    const target = makeRepo({'.spor.json': JSON.stringify({dispatch: {worktree: true, worktreeDir: 'trees'}})});
    const {worktree} = await spor(home, {}, launching);
    expect(await worktree.enabled(target)).toBe(true);
    expect(await worktree.enabled(target, false)).toBe(false);
    expect(await worktree.enabled(launching)).toBe(false);
    expect(await worktree.enabled(tempDir())).toBe(false);
    expect((await worktree.plan(target, {name: 'x'})).path).toBe(join(target, 'trees/x'));
    const escaping = makeRepo({'.spor.json': JSON.stringify({dispatch: {worktreeDir: '../outside'}})});
    await expect(worktree.plan(escaping, {name: 'x'})).rejects.toMatchObject({
      code: 'E_WORKTREE_DIR',
      message: `dispatch.worktreeDir in ${join(escaping, '.spor.json')} ('../outside') points outside the repository's working tree`,
    });
  });
});

describe('WORKTREE.create', () => {
  it('cuts a new branch from the local HEAD into a git-ignored folder, leaving tracked files alone', async () => {
    const {home} = tempHome();
    const repo = makeRepo({'.gitignore': 'node_modules/\n'});
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, {'feature.txt': 'local work\n'});
    commitAll(repo, 'feature work');
    const head = git(repo, 'rev-parse', 'HEAD');
    const tracked = git(repo, 'ls-files', '-s');
    const {worktree} = await spor(home);
    const created = await worktree.create(await worktree.plan(repo, {name: 'task-a'}));
    const path = join(repo, '.claude/worktrees/task-a');
    expect(created).toMatchObject({path, branch: 'spor/task-a', base: head, created: {worktree: true, branch: true}});
    expect(git(path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('spor/task-a');
    expect(git(path, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(path, 'feature.txt'), 'utf8')).toBe('local work\n');
    // Ignored through this machine's exclude file; the committed .gitignore is untouched.
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'ls-files', '-s')).toBe(tracked);
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8').split('\n')).toContain('/.claude/worktrees/');
    expect(events(home, 'worktree-created').map((e) => e.data)).toEqual([
      {path, branch: 'spor/task-a', repo, reused: false, created_branch: true},
    ]);
  });

  it('adds no ignore rule when the folder is already ignored', async () => {
    const {home} = tempHome();
    const repo = makeRepo({'.gitignore': '.claude/\n'});
    const exclude = readFileSync(join(repo, '.git/info/exclude'), 'utf8');
    const {worktree} = await spor(home);
    await worktree.create(await worktree.plan(repo, {name: 'b'}));
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8')).toBe(exclude);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('reuses the worktree of that name, and the plan says so', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const {worktree} = await spor(home);
    const first = await worktree.create(await worktree.plan(repo, {name: 'again'}));
    write(first.path, {'work-in-progress.txt': 'keep me'});
    const plan = await worktree.plan(repo, {name: 'again'});
    expect(plan).toMatchObject({reuse: 'existing-worktree', path: first.path, branch: 'spor/again'});
    const listed = git(repo, 'worktree', 'list', '--porcelain');
    const second = await worktree.create(plan);
    expect(second.created).toEqual({worktree: false, branch: false});
    expect(git(repo, 'worktree', 'list', '--porcelain')).toBe(listed);
    expect(readFileSync(join(first.path, 'work-in-progress.txt'), 'utf8')).toBe('keep me');
    expect(events(home, 'worktree-created').map((e) => e.data.reused)).toEqual([false, true]);
  });

  it('checks out an existing branch of that name, at its own commit, instead of cutting a new one', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    git(repo, 'checkout', '-q', '-b', 'spor/resume');
    write(repo, {'earlier.txt': 'from an earlier run\n'});
    commitAll(repo, 'earlier run');
    const tip = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', 'main');
    const {worktree} = await spor(home);
    const plan = await worktree.plan(repo, {name: 'resume'});
    expect(plan.reuse).toBe('existing-branch');
    const created = await worktree.create(plan);
    expect(created.created).toEqual({worktree: true, branch: false});
    expect(git(created.path, 'rev-parse', 'HEAD')).toBe(tip);
    expect(existsSync(join(created.path, 'earlier.txt'))).toBe(true);
    expect(events(home, 'worktree-created').map((e) => e.data)).toEqual([
      {path: created.path, branch: 'spor/resume', repo, reused: false, created_branch: false},
    ]);
  });

  it('reuses a worktree on that branch that the user made outside the repository, adding no ignore rule', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const outside = join(tempDir(), 'mine');
    git(repo, 'worktree', 'add', '-q', '-b', 'spor/outside', outside);
    const exclude = readFileSync(join(repo, '.git/info/exclude'), 'utf8');
    const {worktree} = await spor(home);
    const plan = await worktree.plan(repo, {name: 'outside'});
    expect(plan).toMatchObject({reuse: 'existing-worktree', path: outside, stale: false});
    expect((await worktree.create(plan)).created).toEqual({worktree: false, branch: false});
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8')).toBe(exclude);
  });

  it('makes a worktree again where one was deleted by hand (git still listed it)', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const {worktree} = await spor(home);
    const first = await worktree.create(await worktree.plan(repo, {name: 'gone'}));
    rmSync(first.path, {recursive: true, force: true});
    const plan = await worktree.plan(repo, {name: 'gone'});
    expect(plan).toMatchObject({reuse: 'existing-branch', stale: true});
    const again = await worktree.create(plan);
    expect(git(again.path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('spor/gone');
  });

  it('makes a new worktree where git still lists a folder deleted by hand that was on no branch of ours', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const {worktree} = await spor(home);
    const path = join(repo, '.claude', 'worktrees', 'detached');
    git(repo, 'worktree', 'add', '--detach', path);
    rmSync(path, {recursive: true, force: true});
    const plan = await worktree.plan(repo, {name: 'detached'});
    expect(plan).toMatchObject({reuse: 'new', path, stale: true});
    const made = await worktree.create(plan);
    expect(git(made.path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('spor/detached');
    expect(made.created).toEqual({worktree: true, branch: true});
  });
});

describe('WORKTREE.runSetup', () => {
  it('runs the setup command in the worktree with its argv, the basics plus worktree.setupEnv (no other credential, no git location), and the SPOR_ variables', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const other = makeRepo();
    const otherBefore = repoState(other);
    const record = join(tempDir(), 'setup.ndjson');
    await setMachine(home, 'dispatch.worktreeSetup', `scripts/record --flag "two words" '$HOME'`);
    // Git location variables pointing at another repository must not steer spor's git, nor reach the setup.
    const {worktree} = await spor(home, {
      SETUP_RECORD: record,
      SPOR_WORKTREE_SETUPENV: 'SETUP_RECORD, NPM_*',
      NPM_TOKEN: 'npm-kept',
      SPOR_SERVER_TOKEN: 'spor-secret',
      SPOR_API_KEY: 'spor-key',
      GITHUB_TOKEN: 'ghp',
      AWS_SECRET_ACCESS_KEY: 'aws',
      SSH_AUTH_SOCK: '/tmp/ssh',
      GIT_DIR: join(other, '.git'),
      GIT_WORK_TREE: other,
      GIT_INDEX_FILE: join(other, '.git/index'),
    });
    const plan = await worktree.plan(repo, {name: 'setup-env', slug: 'web', nodeId: 'task-env'});
    expect(plan.setup).toEqual({
      repo,
      argv: ['scripts/record', '--flag', 'two words', '$HOME'],
      source: 'machine',
      from: 'worktree.setup (this machine)',
      executable: join(repo, 'scripts/record'),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      approved: true,
      passEnv: ['SETUP_RECORD', 'NPM_*'],
    });
    const created = await worktree.create(plan);
    const out = streams();
    const outcome = await worktree.runSetup(created, {slug: 'web', nodeId: 'task-env', ...out});
    expect(outcome).toMatchObject({exit: 0, signal: null});
    const [run, ...more] = recorded(record);
    expect(more).toEqual([]);
    expect(run!.argv).toEqual(['--flag', 'two words', '$HOME']);
    expect(run!.cwd).toBe(created.path);
    expect(run!.env).toMatchObject({
      SPOR_WORKTREE: created.path,
      SPOR_MAIN_CHECKOUT: repo,
      SPOR_DISPATCH_SLUG: 'web',
      SPOR_DISPATCH_NODE: 'task-env',
      NPM_TOKEN: 'npm-kept',
      HOME: home,
    });
    for (const name of [
      'GIT_DIR',
      'GIT_WORK_TREE',
      'GIT_INDEX_FILE',
      'SPOR_SERVER_TOKEN',
      'SPOR_API_KEY',
      'GITHUB_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'SSH_AUTH_SOCK',
    ])
      expect(run!.env).not.toHaveProperty(name);
    expect(out.stdout.text).toBe('setup says hello\n');
    expect(out.stderr.text).toBe('setup warns\n');
    expect(events(home, 'worktree-setup-ran').map((e) => e.data)).toEqual([
      {
        path: created.path,
        argv: ['scripts/record', '--flag', 'two words', '$HOME'],
        exit: 0,
        signal: null,
        duration_ms: expect.any(Number),
      },
    ]);
    expect(git(created.path, 'rev-parse', '--show-toplevel')).toBe(created.path);
    expect(repoState(other)).toEqual(otherBefore);
  });

  it('does nothing without a setup command', async () => {
    const {home} = tempHome();
    const {worktree} = await spor(home);
    const created = await worktree.create(await worktree.plan(makeRepo(), {name: 'plain'}));
    expect(created.setup).toBeUndefined();
    expect(await worktree.runSetup(created, streams())).toBeUndefined();
    expect(events(home, 'worktree-setup-ran')).toEqual([]);
  });

  it('on failure removes the clean worktree and the branch this run created, and refuses (exit 1)', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    await setMachine(home, 'dispatch.worktreeSetup', 'scripts/record --exit=3');
    const {worktree} = await spor(home, {SETUP_RECORD: join(tempDir(), 'r')});
    const created = await worktree.create(await worktree.plan(repo, {name: 'doomed'}));
    await expect(worktree.runSetup(created, streams())).rejects.toMatchObject({
      exitCode: 1,
      code: 'E_SETUP_FAILED',
      message: 'worktree setup failed: scripts/record --exit=3 exited 3',
      hint: `removed the worktree ${created.path} and branch spor/doomed this run created; fix worktree.setup (this machine), then dispatch again`,
    });
    expect(existsSync(created.path)).toBe(false);
    expect(gitOk(repo, 'rev-parse', '--verify', '-q', 'refs/heads/spor/doomed')).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain('doomed');
    expect(
      readLog(home)
        .map((e) => e.type)
        .filter((x) => x.startsWith('worktree-')),
    ).toEqual(['worktree-created', 'worktree-setup-ran', 'worktree-removed']);
    expect(events(home, 'worktree-setup-ran')[0]?.data).toMatchObject({exit: 3});
    expect(events(home, 'worktree-removed')[0]?.data).toEqual({
      path: created.path,
      branch: 'spor/doomed',
      branch_deleted: true,
    });
  });

  it('on failure keeps a worktree the setup left changes in, and names it', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    await setMachine(home, 'dispatch.worktreeSetup', 'scripts/record --dirty --exit=1');
    const {worktree} = await spor(home, {SETUP_RECORD: join(tempDir(), 'r')});
    const created = await worktree.create(await worktree.plan(repo, {name: 'messy'}));
    await expect(worktree.runSetup(created, streams())).rejects.toMatchObject({
      exitCode: 1,
      code: 'E_SETUP_FAILED',
      message: `worktree setup failed: scripts/record --dirty --exit=1 exited 1; kept the worktree ${created.path} (branch spor/messy) because the setup left changes in it`,
      hint: `look with \`git -C ${created.path} status\`; remove it with \`git worktree remove --force ${created.path}\``,
    });
    expect(readFileSync(join(created.path, 'left-behind.txt'), 'utf8')).toBe('x');
    expect(gitOk(repo, 'rev-parse', '--verify', '-q', 'refs/heads/spor/messy')).toBe(true);
    expect(events(home, 'worktree-removed')).toEqual([]);
  });

  it('on failure leaves a worktree that existed before this run as it was', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const {worktree} = await spor(home, {SETUP_RECORD: join(tempDir(), 'r')});
    const first = await worktree.create(await worktree.plan(repo, {name: 'older'}));
    await setMachine(home, 'dispatch.worktreeSetup', 'scripts/record --exit=4');
    const {worktree: later} = await spor(home, {SETUP_RECORD: join(tempDir(), 'r')});
    const reused = await later.create(await later.plan(repo, {name: 'older'}));
    await expect(later.runSetup(reused, streams())).rejects.toMatchObject({
      message: 'worktree setup failed: scripts/record --exit=4 exited 4',
      hint: `the worktree ${first.path} existed before this run and was left as it is; fix worktree.setup (this machine), then dispatch again`,
    });
    expect(existsSync(first.path)).toBe(true);
  });

  it('reports a setup executable that cannot run before anything is created', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    await setMachine(home, 'dispatch.worktreeSetup', 'scripts/missing');
    const {worktree} = await spor(home);
    await expect(worktree.plan(repo, {name: 'x'})).rejects.toMatchObject({
      code: 'E_SETUP_EXECUTABLE',
      message: `the worktree setup command (worktree.setup (this machine)) names ${join(repo, 'scripts/missing')}, which is not an executable file`,
    });
    expect(existsSync(join(repo, '.claude'))).toBe(false);
  });
});

describe("a setup command from the repository's committed .spor.json", () => {
  const repoWithSetup = (): string =>
    makeRepo({'.spor.json': JSON.stringify({dispatch: {worktreeSetup: 'scripts/record --from-repo'}})});

  it('runs only after `spor worktrees approve` (or its alias `spor hooks approve`), and needs approving again after one byte of the script changes', async () => {
    const {home} = tempHome();
    const repo = repoWithSetup();
    const record = join(tempDir(), 'setup.ndjson');
    expect((await runSpor(['repos', 'add', 'web', repo], {home})).exitCode).toBe(0);
    const {worktree} = await spor(home, {SETUP_RECORD: record});

    const plan = await worktree.plan(repo, {name: 'first'});
    expect(plan.setup).toMatchObject({
      argv: ['scripts/record', '--from-repo'],
      source: 'repo',
      origin: join(repo, '.spor.json'),
      approved: false,
      approveCommand: 'spor worktrees approve web',
    });
    const before = repoState(repo);
    await expect(worktree.create(plan)).rejects.toMatchObject({
      exitCode: 1,
      code: 'E_SETUP_UNAPPROVED',
      message: `the worktree setup command from ${join(repo, '.spor.json')} is not approved on this machine: scripts/record --from-repo`,
      hint: `read it (${join(repo, 'scripts/record')}), then approve it: spor worktrees approve web`,
    });
    expect(repoState(repo)).toEqual(before);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added']);

    const approve = await runSpor(['worktrees', 'approve', 'web'], {home});
    expect(approve.exitCode).toBe(0);
    expect(approve.stderr).toBe('');
    expect(approve.stdout.split('\n')).toEqual([
      `repo     web (${repo})`,
      `command  scripts/record --from-repo   (from ${join(repo, '.spor.json')})`,
      `runs     ${join(repo, 'scripts/record')}`,
      `sha256   ${plan.setup!.sha256}   (of the command and the bytes of that file)`,
      'approved: dispatch may run it in worktrees of this repository until the command or the script changes',
    ]);
    expect(events(home, 'setup-approved').map((e) => e.data)).toEqual([
      {repo, argv: ['scripts/record', '--from-repo'], sha256: plan.setup!.sha256},
    ]);
    expect((await runSpor(['hooks', 'approve', repo], {home})).stdout).toContain(
      'already approved on this machine; nothing recorded',
    );
    expect(events(home, 'setup-approved')).toHaveLength(1);

    const approvedPlan = await worktree.plan(repo, {name: 'first'});
    expect(approvedPlan.setup).toMatchObject({approved: true});
    const created = await worktree.create(approvedPlan);
    await worktree.runSetup(created, {...streams(), slug: 'web'});
    expect(recorded(record).map((r) => r.argv)).toEqual([['--from-repo']]);

    // One changed byte of the committed script: not approved any more.
    write(repo, {'scripts/record': RECORD_SCRIPT.replace('hello', 'hellp')});
    commitAll(repo, 'change the setup script');
    const changed = await worktree.plan(repo, {name: 'second'});
    expect(changed.setup).toMatchObject({approved: false, approveCommand: 'spor worktrees approve web'});
    expect(changed.setup!.sha256).not.toBe(plan.setup!.sha256);
    await expect(worktree.create(changed)).rejects.toMatchObject({code: 'E_SETUP_UNAPPROVED'});
    expect(existsSync(changed.path)).toBe(false);

    expect((await runSpor(['hooks', 'approve', 'web'], {home})).exitCode).toBe(0);
    const second = await worktree.create(await worktree.plan(repo, {name: 'second'}));
    const out = streams();
    await worktree.runSetup(second, out);
    expect(out.stdout.text).toBe('setup says hellp\n');
    expect(recorded(record)).toHaveLength(2);
  });

  it("refuses to run the worktree's copy when it is not the approved one (an uncommitted edit was approved)", async () => {
    const {home} = tempHome();
    const repo = repoWithSetup();
    const record = join(tempDir(), 'setup.ndjson');
    write(repo, {'scripts/record': `${RECORD_SCRIPT}// edited, not committed\n`});
    expect((await runSpor(['hooks', 'approve', repo], {home})).exitCode).toBe(0);
    const {worktree} = await spor(home, {SETUP_RECORD: record});
    const plan = await worktree.plan(repo, {name: 'copy'});
    expect(plan.setup).toMatchObject({approved: true, approveCommand: `spor worktrees approve ${repo}`});
    const created = await worktree.create(plan);
    await expect(worktree.runSetup(created, streams())).rejects.toMatchObject({
      code: 'E_SETUP_FAILED',
      message: `the worktree's copy of the setup command (${join(created.path, 'scripts/record')}) differs from what this machine approved`,
      hint: `removed the worktree ${created.path} and branch spor/copy this run created; commit the script you approved, or approve the committed one (spor worktrees approve ${repo}), then dispatch again`,
    });
    expect(recorded(record)).toEqual([]);
    expect(existsSync(created.path)).toBe(false);
  });

  it('needs no approval when this machine configured it (settings or SPOR_DISPATCH_WORKTREESETUP)', async () => {
    const {home} = tempHome();
    const repo = makeRepo();
    const record = join(tempDir(), 'setup.ndjson');
    const fromEnv = await spor(home, {SETUP_RECORD: record, SPOR_DISPATCH_WORKTREESETUP: 'scripts/record --env'});
    const plan = await fromEnv.worktree.plan(repo, {name: 'env'});
    expect(plan.setup).toMatchObject({source: 'env', approved: true});
    expect(plan.setup).not.toHaveProperty('approveCommand');
    await fromEnv.worktree.runSetup(await fromEnv.worktree.create(plan), streams());
    expect(recorded(record).map((r) => r.argv)).toEqual([['--env']]);
    await setMachine(home, 'dispatch.worktreeSetup', 'scripts/record --machine');
    const approve = await runSpor(['hooks', 'approve', repo], {home});
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toBe(
      `the setup command for ${repo} comes from this machine's settings, not from the repository; it needs no approval: scripts/record --machine`,
    );
    expect(events(home, 'setup-approved')).toEqual([]);
  });
});

describe('spor worktrees approve (alias spor hooks approve)', () => {
  it('refuses what is neither a slug nor a directory (exit 2), and has nothing to approve without a setup command', async () => {
    const {home} = tempHome();
    const bad = await runSpor(['hooks', 'approve', 'nope'], {home});
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(
      `spor: 'nope' is neither a repo slug nor a directory\n  hint: give a slug from \`spor repos list\` or the path of a checkout`,
    );
    const repo = makeRepo();
    const none = await runSpor(['worktrees', 'approve', repo], {home});
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toBe(
      `no worktree setup command applies to ${repo} (worktree.setup is not set); nothing to approve`,
    );
    expect(readLog(home)).toEqual([]);
  });
});

describe('spor worktrees list and prune', () => {
  /** Five dispatch worktrees in one repository, in the states list and prune tell apart. */
  const fiveWorktrees = async (home: string) => {
    const repo = makeRepo();
    const {worktree, host} = await spor(home);
    const make = async (name: string): Promise<CreatedWorktree> => worktree.create(await worktree.plan(repo, {name}));
    const [done, unmerged, running, dirty, fresh] = [
      await make('done'),
      await make('unmerged'),
      await make('running'),
      await make('dirty'),
      await make('fresh'),
    ];
    write(unmerged.path, {'new.txt': 'work\n'});
    commitAll(unmerged.path, 'work the run did');
    write(dirty.path, {'scratch.txt': 'not committed\n'});
    await host.append([
      started('run-1', done.path),
      ended('run-1'),
      started('run-2', unmerged.path),
      ended('run-2'),
      started('run-3', running.path),
      started('run-4', dirty.path),
      ended('run-4'),
    ] as never);
    return {repo, done, unmerged, running, dirty, fresh};
  };

  it('lists dispatch worktrees with branch, run, clean and merged, as text and as JSON', async () => {
    const {home} = tempHome();
    const empty = await runSpor(['worktrees'], {home});
    expect(empty.stdout).toBe('no dispatch worktrees; `spor dispatch --worktree` makes one');
    const {repo, done, unmerged, running, dirty, fresh} = await fiveWorktrees(home);
    rmSync(running.path, {recursive: true, force: true});
    const r = await runSpor(['worktrees', 'list', '--json'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    const row = (w: CreatedWorktree, over: Record<string, unknown>) => ({
      path: w.path,
      repo,
      branch: w.branch,
      run: null,
      run_ended: false,
      exists: true,
      clean: true,
      changes: 0,
      merged: true,
      created_branch: true,
      created_at: at,
      ...over,
    });
    expect(JSON.parse(r.stdout)).toEqual([
      row(dirty, {run: 'run-4', run_ended: true, clean: false, changes: 1}),
      row(done, {run: 'run-1', run_ended: true}),
      row(fresh, {}),
      row(running, {run: 'run-3', exists: false, clean: null, changes: null}),
      row(unmerged, {run: 'run-2', run_ended: true, merged: false}),
    ]);
    const text = await runSpor(['worktrees'], {home});
    expect(
      text.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/ +/g, ' ')),
    ).toEqual([
      `${dirty.path} spor/dirty 1 change merged run run-4 (ended)`,
      `${done.path} spor/done clean merged run run-1 (ended)`,
      `${fresh.path} spor/fresh clean merged no run`,
      `${running.path} spor/running missing merged run run-3`,
      `${unmerged.path} spor/unmerged clean not merged run run-2 (ended)`,
    ]);
  });

  it('prune removes clean worktrees whose runs ended, deletes merged branches spor cut, and says what it kept and why', async () => {
    const {home} = tempHome();
    const {repo, done, unmerged, running, dirty, fresh} = await fiveWorktrees(home);
    const {worktree} = await spor(home);
    const forgotten = await worktree.create(await worktree.plan(repo, {name: 'forgotten'}));
    rmSync(forgotten.path, {recursive: true, force: true});
    const r = await runSpor(['worktrees', 'prune'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `kept ${dirty.path}: 1 uncommitted change`,
      `removed ${done.path} and its merged branch spor/done`,
      `forgot (already gone) ${forgotten.path} and its merged branch spor/forgotten`,
      expect.stringMatching(
        new RegExp(
          `^kept ${escapeRe(fresh.path)}: no run recorded for it yet \\(made \\d+s ago\\): a dispatch may still be preparing it$`,
        ),
      ),
      `kept ${running.path}: run run-3 has not ended`,
      `removed ${unmerged.path}; kept branch spor/unmerged: not merged into the main checkout's HEAD`,
      'pruned 3, kept 3',
    ]);
    for (const gone of [done, unmerged, forgotten]) expect(existsSync(gone.path)).toBe(false);
    for (const kept of [dirty, fresh]) expect(existsSync(kept.path)).toBe(true);
    const branches = git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/spor/').split('\n');
    expect(branches.sort()).toEqual(['spor/dirty', 'spor/fresh', 'spor/running', 'spor/unmerged']);
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toMatch(/done|unmerged|forgotten/);
    expect(events(home, 'worktree-removed').map((e) => e.data)).toEqual([
      {path: done.path, branch: 'spor/done', branch_deleted: true},
      {path: forgotten.path, branch: 'spor/forgotten', branch_deleted: true},
      {path: unmerged.path, branch: 'spor/unmerged', branch_deleted: false},
    ]);

    // An hour later the worktree with no run recorded is treated as ended.
    const later = {now: () => new Date(Date.now() + 3_600_000)};
    const json = await sporCli(['worktrees', 'prune', '--json'], home, later);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        path: dirty.path,
        branch: 'spor/dirty',
        action: 'kept',
        reason: '1 uncommitted change',
        branch_deleted: false,
        branch_kept: null,
      },
      {
        path: fresh.path,
        branch: 'spor/fresh',
        action: 'removed',
        reason: null,
        branch_deleted: true,
        branch_kept: null,
      },
      {
        path: running.path,
        branch: 'spor/running',
        action: 'kept',
        reason: 'run run-3 has not ended',
        branch_deleted: false,
        branch_kept: null,
      },
    ]);
    expect(existsSync(fresh.path)).toBe(false);

    // remove() itself never forces: the dirty one stays, and an unknown path is refused.
    const {worktree: service} = await spor(home);
    expect(await service.remove(dirty.path)).toEqual({
      path: dirty.path,
      branch: 'spor/dirty',
      removed: false,
      branchDeleted: false,
      kept: '1 uncommitted change',
    });
    expect(existsSync(join(dirty.path, 'scratch.txt'))).toBe(true);
    await expect(service.remove(join(repo, 'nowhere'))).rejects.toMatchObject({
      code: 'E_WORKTREE_UNKNOWN',
      message: `${join(repo, 'nowhere')} is not a dispatch worktree spor made`,
    });
  });
});

describe('hooks/setup-node', () => {
  // A PATH holding only node, git and the stubs a test adds, so no real npm/pnpm/yarn is found.
  const toolPath = (...stubDirs: Array<string>): string => {
    const tools = tempDir('spor-tools-');
    symlinkSync(process.execPath, join(tools, 'node'));
    symlinkSync(GIT, join(tools, 'git'));
    return [...stubDirs, tools].join(delimiter);
  };
  /** A stub package manager that records its argv and cwd. */
  const stub = (name: string, record: string): string => {
    const dir = tempDir('spor-stub-');
    write(dir, {[name]: `#!/bin/sh\nprintf '%s\\n' "$(pwd)" "$@" > '${record}'\necho "${name} ran"\n`}, 0o755);
    return dir;
  };
  const nodeRepo = (): string => {
    const repo = makeRepo({
      'package.json': '{"name": "app"}\n',
      'package-lock.json': '{"lockfileVersion": 3}\n',
      '.gitignore': 'node_modules/\n.env\n.env.local\n',
    });
    write(repo, {'node_modules/dep/index.js': 'module.exports = 1;\n'});
    return repo;
  };
  const addWorktree = (repo: string, name: string): string => {
    const path = join(repo, '.claude/worktrees', name);
    git(repo, 'worktree', 'add', '-q', '-b', `spor/${name}`, path);
    return path;
  };
  const runSetupNode = (worktree: string, main: string, path: string, args: Array<string> = []) =>
    execa(SETUP_NODE, args, {
      cwd: worktree,
      reject: false,
      extendEnv: false,
      env: {PATH: path, HOME: '/nonexistent', SPOR_WORKTREE: worktree, SPOR_MAIN_CHECKOUT: main},
    });

  it("links node_modules to the main checkout's when the lockfile is identical, and the worktree stays clean (run by the service)", async () => {
    const {home} = tempHome();
    const repo = nodeRepo();
    await setMachine(home, 'dispatch.worktreeSetup', SETUP_NODE);
    const {worktree} = await spor(home, {PATH: toolPath()});
    const created = await worktree.create(await worktree.plan(repo, {name: 'linked'}));
    const out = streams();
    await worktree.runSetup(created, out);
    expect(out.stdout.text).toBe(
      `setup-node: linked node_modules to ${join(repo, 'node_modules')} (package-lock.json is identical)\n`,
    );
    expect(out.stderr.text).toBe('');
    const modules = join(created.path, 'node_modules');
    expect(lstatSync(modules).isSymbolicLink()).toBe(true);
    expect(readlinkSync(modules)).toBe(join(repo, 'node_modules'));
    expect(readFileSync(join(modules, 'dep/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(git(created.path, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('copies untracked .env* files the worktree lacks, never overwriting one it has nor touching tracked ones', async () => {
    const repo = makeRepo({'.env.example': 'EXAMPLE=committed\n', '.gitignore': '.env*\n!.env.example\n'});
    write(repo, {
      '.env': 'SECRET=main\n',
      '.env.local': 'LOCAL=main\n',
      'packages/api/.env.test': 'API=main\n',
      '.env.example': 'EXAMPLE=edited\n',
      'node_modules/pkg/.env': 'NOT=copied\n',
      '.cache/.env': 'NOT=copied\n',
    });
    const wt = addWorktree(repo, 'envs');
    write(wt, {'.env.local': 'LOCAL=worktree\n'});
    const r = await runSetupNode(wt, repo, toolPath());
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'setup-node: copied .env from the main checkout',
      'setup-node: copied packages/api/.env.test from the main checkout',
      'setup-node: no package.json here: no dependencies to prepare',
    ]);
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('SECRET=main\n');
    expect(readFileSync(join(wt, 'packages/api/.env.test'), 'utf8')).toBe('API=main\n');
    expect(readFileSync(join(wt, '.env.local'), 'utf8')).toBe('LOCAL=worktree\n');
    expect(readFileSync(join(wt, '.env.example'), 'utf8')).toBe('EXAMPLE=committed\n');
    expect(existsSync(join(wt, 'node_modules'))).toBe(false);
    expect(existsSync(join(wt, '.cache'))).toBe(false);
  });

  it('installs with npm ci when the lockfile differs, unlinking a linked node_modules first', async () => {
    const repo = nodeRepo();
    const wt = addWorktree(repo, 'differs');
    symlinkSync(join(repo, 'node_modules'), join(wt, 'node_modules'));
    write(wt, {'package-lock.json': '{"lockfileVersion": 3, "packages": {}}\n'});
    const record = join(tempDir(), 'npm-argv');
    const r = await runSetupNode(wt, repo, toolPath(stub('npm', record)));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      "setup-node: installing with npm ci (package-lock.json differs from the main checkout's)\nnpm ran",
    );
    expect(readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([wt, 'ci']);
    expect(existsSync(join(wt, 'node_modules'))).toBe(false);
    expect(readFileSync(join(repo, 'node_modules/dep/index.js'), 'utf8')).toBe('module.exports = 1;\n');
  });

  it('installs even with an identical lockfile when given --install, and fails when the install fails', async () => {
    const repo = nodeRepo();
    const wt = addWorktree(repo, 'forced');
    const record = join(tempDir(), 'npm-argv');
    const r = await runSetupNode(wt, repo, toolPath(stub('npm', record)), ['--install']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('setup-node: installing with npm ci (--install)');
    expect(readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([wt, 'ci']);
    const failing = tempDir('spor-stub-');
    write(failing, {npm: '#!/bin/sh\nexit 9\n'}, 0o755);
    const f = await runSetupNode(wt, repo, toolPath(failing), ['--install']);
    expect(f.exitCode).toBe(1);
    expect(f.stderr).toBe('setup-node: npm ci failed (exit 9)');
  });

  it("uses the lockfile's own tool, and says so and fails when it is not on PATH", async () => {
    const repo = makeRepo({'package.json': '{}\n', 'pnpm-lock.yaml': 'lockfileVersion: 9\n'});
    const wt = addWorktree(repo, 'pnpm');
    const missing = await runSetupNode(wt, repo, toolPath());
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe(
      'setup-node: pnpm-lock.yaml needs pnpm, which is not on PATH; install it (for pnpm and yarn: corepack enable), or run setup-node where it is',
    );
    const record = join(tempDir(), 'pnpm-argv');
    const ok = await runSetupNode(wt, repo, toolPath(stub('pnpm', record)));
    expect(ok.exitCode).toBe(0);
    expect(readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([wt, 'install', '--frozen-lockfile']);
  });

  it('refuses an unknown argument (exit 2) and a run outside spor', async () => {
    const repo = nodeRepo();
    const wt = addWorktree(repo, 'args');
    const bad = await runSetupNode(wt, repo, toolPath(), ['--frobnicate']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(`setup-node: unknown argument '--frobnicate'\n  usage: setup-node [--install]`);
    const outside = await execa(SETUP_NODE, [], {cwd: wt, reject: false, extendEnv: false, env: {PATH: toolPath()}});
    expect(outside.exitCode).toBe(1);
    expect(outside.stderr).toBe(
      'setup-node: SPOR_MAIN_CHECKOUT is not set: run it as worktree.setup, where spor sets it',
    );
  });
});
