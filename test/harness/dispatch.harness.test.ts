// spor dispatch driving the real (pinned) Claude Code and codex against the scripted fake: the
// argv the adapters build is accepted, the posture does what it says, the edit lands where the
// run works, and `--print --json` shows exactly the argv and environment names of the real launch.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {FakeModel} from '../helpers/fakeModel/index.js';
import {fakeModel} from '../helpers/realHarness/direct.js';
import {available, type HarnessName} from '../helpers/realHarness/install.js';
import {sandbox} from '../helpers/realHarness/sandbox.js';
import {procLaunch, sporFor} from '../helpers/realHarness/spor.js';
import {waitForEnd} from '../helpers/dispatch.js';
import {harnessPath} from '../helpers/realHarness/sandbox.js';
import {harnessInstall} from '../helpers/realHarness/install.js';
import {claudeEnv, codexEnv} from '../helpers/realHarness/settings.js';

const git = (cwd: string, ...args: Array<string>): string => execFileSync('git', args, {cwd, encoding: 'utf8'});

/** Waits for the fake to have received a scripted model request (the harness is up and talking). */
const firstRequest = async (fake: FakeModel, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (fake.log.model().length === 0) {
    if (Date.now() > deadline) throw new Error(`no model request within ${timeoutMs} ms: ${fake.log.jsonl()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

// Each harness as spor names it, the profile that selects it, and its own argv switch for the posture.
const HARNESSES: Array<{cli: HarnessName; harness: string; profile: Array<string>}> = [
  {cli: 'claude', harness: 'claude-code', profile: []},
  {cli: 'codex', harness: 'codex', profile: ['--profile', 'profile-cx']},
];

describe.each(HARNESSES)('spor dispatch with the real $cli', ({cli, harness, profile}) => {
  const setup = async (script: Parameters<typeof fakeModel>[0]) => {
    const sb = sandbox();
    const fake = await fakeModel(script);
    const s = sporFor(sb, fake);
    if (cli === 'codex') await s.spor(['profile', 'create', 'cx', '--harness', 'codex']);
    return {sb, fake, ...s};
  };

  it.skipIf(!available(cli))('free text: the agent edits a file in the repo and the run ends done', async () => {
    const {sb, fake, dispatch} = await setup({
      script: [{write: {path: 'HELLO.md', content: 'hello via spor\n'}}, {text: 'done'}],
    });
    const {run} = await dispatch(['Write HELLO.md', '--dir', sb.repo, ...profile]);
    expect(run).toMatchObject({state: 'done', class: 'completed'});
    expect(readFileSync(join(sb.repo, 'HELLO.md'), 'utf8')).toBe('hello via spor\n');
    expect(fake.log.toolResults()).toHaveLength(1);
    expect(fake.log.problems()).toEqual([]);
  });

  it.skipIf(!available(cli))(
    'a node with --worktree: the edit lands in the worktree, not in the main checkout',
    async () => {
      const {sb, spor, dispatch} = await setup({
        script: [{write: {path: 'HELLO.md', content: 'in the worktree\n'}}, {text: 'done'}],
      });
      await spor(['repos', 'add', 'web', sb.repo]);
      await spor(['add', 'Write hello', '--type', 'task', '--id', 'task-hello', '--repo', 'web']);
      const {run} = await dispatch(['task-hello', '--worktree', ...profile]);
      expect(run).toMatchObject({state: 'done', class: 'completed'});
      const tree = join(sb.repo, '.claude', 'worktrees', 'task-hello');
      expect(readFileSync(join(tree, 'HELLO.md'), 'utf8')).toBe('in the worktree\n');
      expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
      expect(git(tree, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('spor/task-hello');
      expect(git(sb.repo, 'status', '--porcelain')).toBe('');
    },
  );

  it.skipIf(!available(cli))('the read-only posture: the edit is refused and the file is absent', async () => {
    const {sb, fake, dispatch} = await setup({
      script: [{write: {path: 'HELLO.md', content: 'must not land\n'}}, {text: 'done'}],
    });
    const {run} = await dispatch(['Write HELLO.md', '--dir', sb.repo, '--posture', 'read-only', ...profile]);
    expect(['done', 'failed']).toContain(run.state);
    expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
    // The harness's own refusal went back to the model (plan mode / the read-only sandbox).
    expect(fake.log.toolResults()).toEqual([
      expect.objectContaining({text: expect.stringMatching(/plan mode|read-only|rejected|blocked/i)}),
    ]);
  });

  it.skipIf(!available(cli))(
    '--print --json shows exactly the argv and the environment names the real launch used',
    async () => {
      const {sb, fake, spor} = await setup({script: [{text: 'done', hang: true}]});
      const args = ['Say hi', '--dir', sb.repo, ...profile];
      const shown = await spor(['dispatch', ...args, '--print', '--json'], {
        GITHUB_TOKEN: 'ghp_must_not_pass',
        AWS_SECRET_ACCESS_KEY: 'nope',
      });
      expect(shown.stderr).toBe('');
      const plan = JSON.parse(shown.stdout) as {run_id: string; argv: Array<string>; env: Record<string, string>};
      const r = await spor(['dispatch', ...args, '--json'], {
        GITHUB_TOKEN: 'ghp_must_not_pass',
        AWS_SECRET_ACCESS_KEY: 'nope',
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const launched = JSON.parse(r.stdout) as {run_id: string; pid: number; harness: string};
      expect(launched.harness).toBe(harness);
      await firstRequest(fake);
      const real = procLaunch(launched.pid);
      // The run id is the only difference between a plan and the launch (codex's report file).
      const planned = plan.argv.map((a) => a.replaceAll(plan.run_id, launched.run_id));
      // codex's entry is a Node script: the kernel shows `node <script>` where spor's argv has the script.
      expect(real.argv.slice(-(planned.length - 1))).toEqual(planned.slice(1));
      expect(real.envKeys).toEqual(Object.keys(plan.env).sort());
      expect(real.envKeys).not.toContain('GITHUB_TOKEN');
      expect(real.envKeys).not.toContain('AWS_SECRET_ACCESS_KEY');
      await spor(['runs', 'stop', launched.run_id]);
      const env = {PATH: harnessPath(harnessInstall().binDir)};
      expect((await waitForEnd(sb.home, launched.run_id, env, 30_000)).state).not.toBe('running');
    },
  );
});

// The agent writes HELLO.md and commits it through its shell.
const COMMIT_HELLO = [
  {write: {path: 'HELLO.md', content: 'committed\n'}},
  {shell: 'git add HELLO.md && git commit -q -m "add hello"'},
  {text: 'done'},
];
// The agent's git needs an identity (the sandbox's HOME has no gitconfig); the user gives it the
// way they give it anything else: harness.<name>.env.
const AGENT_GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'agent',
  GIT_AUTHOR_EMAIL: 'a@x',
  GIT_COMMITTER_NAME: 'agent',
  GIT_COMMITTER_EMAIL: 'a@x',
};
// The commit is on the worktree's branch, nothing is left uncommitted, and the main checkout is untouched.
const expectCommittedInWorktree = (repo: string): void => {
  const tree = join(repo, '.claude', 'worktrees', 'task-commit');
  expect(git(tree, 'log', '-1', '--format=%s').trim()).toBe('add hello');
  expect(git(tree, 'status', '--porcelain')).toBe('');
  expect(existsSync(join(repo, 'HELLO.md'))).toBe(false);
};

describe.skipIf(!available('claude'))('how work in a worktree gets committed (Claude Code)', () => {
  it('posture full: refused as root until IS_SANDBOX=1 reaches Claude Code, which then commits in the worktree itself', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: COMMIT_HELLO});
    const {spor, set, dispatch} = sporFor(sb, fake);
    await spor(['repos', 'add', 'web', sb.repo]);
    await spor(['add', 'Commit hello', '--type', 'task', '--id', 'task-commit', '--repo', 'web']);
    if (process.getuid?.() === 0) {
      const refused = await spor(['dispatch', 'task-commit', '--worktree', '--posture', 'full']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('IS_SANDBOX=1');
      expect(fake.log.all()).toEqual([]);
    }
    set('harness.claude-code.env', JSON.stringify({...claudeEnv(fake), IS_SANDBOX: '1', ...AGENT_GIT_IDENTITY}));
    const {run} = await dispatch(['task-commit', '--worktree', '--posture', 'full']);
    expect(run).toMatchObject({state: 'done', class: 'completed'});
    expectCommittedInWorktree(sb.repo);
  });
});

describe.skipIf(!available('codex'))('how work in a worktree gets committed (codex)', () => {
  it('posture full: codex (danger-full-access) commits in the worktree itself; the main checkout is untouched', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: COMMIT_HELLO});
    const {spor, set, dispatch} = sporFor(sb, fake);
    await spor(['profile', 'create', 'cx', '--harness', 'codex']);
    await spor(['repos', 'add', 'web', sb.repo]);
    await spor(['add', 'Commit hello', '--type', 'task', '--id', 'task-commit', '--repo', 'web']);
    set('harness.codex.env', JSON.stringify({...codexEnv(), CODEX_HOME: sb.codexHome, ...AGENT_GIT_IDENTITY}));
    const {run} = await dispatch(['task-commit', '--worktree', '--posture', 'full', '--profile', 'profile-cx']);
    expect(run).toMatchObject({state: 'done'});
    expectCommittedInWorktree(sb.repo);
  });
});
