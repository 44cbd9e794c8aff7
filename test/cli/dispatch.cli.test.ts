import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, stubPath, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {waitForNoneWith} from '../helpers/processes.js';
import {readLog} from '../helpers/readLog.js';
import {ROOT} from '../helpers/runSpor.js';
import {tempDir} from '../helpers/tempHome.js';

const TRICKY = `fix "the" 'login' $(rm -rf /) \`whoami\`; echo pwned\nand a second line`;

describe('spor dispatch --print', () => {
  it('prints the plan and the prompt and writes nothing at all', async () => {
    const {sporHome, spor} = stubMachine();
    const repo = gitRepo();
    const r = await spor(['dispatch', 'tidy the README', '--dir', repo, '--print']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`directory   ${repo} (from --dir)`);
    expect(r.stdout).toMatch(/harness {5}claude-code \(.*test\/fixtures\/bin\/agents\/claude\)/);
    expect(r.stdout).toContain('--- prompt ---');
    expect(r.stdout.trimEnd().endsWith('# Task\n\ntidy the README')).toBe(true);
    expect(existsSync(sporHome)).toBe(false);
  });

  it('--print --json gives the plan as one object, with the exact argv and the prompt', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    const before = readLog(home);
    const r = await spor([
      'dispatch',
      'add a dark mode',
      '--slug',
      'web',
      '--print',
      '--json',
      '--model',
      'opus',
      '--permission-mode',
      'acceptEdits',
    ]);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({
      dir: repo,
      dir_source: 'slug',
      slug: 'web',
      node: null,
      worktree: null,
      branch: null,
      harness: 'claude-code',
      profile: null,
      satisfiable: null,
      reasons: [],
      warnings: [],
    });
    expect(plan.argv.slice(1)).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--name',
      'add-a-dark-mode',
      '--model',
      'opus',
      '--permission-mode',
      'acceptEdits',
    ]);
    expect(plan).toMatchObject({posture: 'edit', posture_source: 'default', blocked: null});
    expect(Object.keys(plan.env)).toContain('PATH');
    expect(plan.prompt).toContain('`web` repository');
    expect(readLog(home)).toEqual(before);
  });
});

describe('spor dispatch (real, stub harness on PATH)', () => {
  it('launches the harness in the directory with the prompt on stdin verbatim, a filtered environment, and records the run', async () => {
    const {home, rec, spor} = stubMachine();
    const repo = gitRepo();
    const r = await spor(['dispatch', TRICKY, '--dir', repo], {
      GIT_DIR: '/elsewhere/.git',
      GIT_WORK_TREE: '/elsewhere',
      SPOR_TOKEN: 'sekret',
      KEEP_ME: 'yes',
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const runId = runIdOf(r.stdout);
    expect(r.stdout).toContain(`follow: spor runs log ${runId} --follow`);
    const run = await waitForEnd(home, runId, {PATH: stubPath()});
    expect(run).toMatchObject({state: 'done', class: 'completed', session_id: 'sess-123'});
    const [got] = received(rec);
    expect(got?.cwd).toBe(repo);
    expect(got?.argv).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--name',
      'fix-the-login-rm-rf',
      '--permission-mode',
      'acceptEdits',
    ]);
    expect(got?.stdin.endsWith(`# Task\n\n${TRICKY}\n`)).toBe(true);
    // Only what the filter lets through: not a variable the user did not name.
    expect(got?.env.KEEP_ME).toBeUndefined();
    expect(got?.env.STUB_RECORD).toBe(rec);
    for (const gone of ['GIT_DIR', 'GIT_WORK_TREE', 'SPOR_TOKEN']) expect(got?.env[gone]).toBeUndefined();
    const log = readLog(home);
    // The unmapped checkout is registered under its folder's name (issue 12.6); the first dispatch
    // probes the harness (what the installed CLI accepts) and records it with the claim.
    expect(log.map((e) => e.type)).toEqual([
      'dispatch-started',
      'run-started',
      'probe-ran',
      'repo-added',
      'run-state-changed',
      'run-ended',
    ]);
    expect(log.find((e) => e.type === 'repo-added')?.data).toEqual({slug: basename(repo).toLowerCase(), path: repo});
    expect(log[0]?.data).toMatchObject({
      run_id: runId,
      task: TRICKY,
      harness: 'claude-code',
      dir: repo,
      dir_source: 'dir',
      mode: 'task',
    });
    // The runs plugin's own record of the run, appended with the claim.
    expect(log[1]?.data).toEqual({
      run_id: runId,
      name: expect.any(String),
      task: TRICKY,
      harness: 'claude-code',
      dir: repo,
      slug: basename(repo).toLowerCase(),
    });
    expect(JSON.stringify(log)).not.toContain('sekret');
    expect(log.find((e) => e.type === 'run-ended')?.data).toMatchObject({
      state: 'done',
      class: 'completed',
      session_id: 'sess-123',
      has_report: true,
    });
    expect((await spor(['runs', 'log', runId])).stdout).toContain('"result":"All done: the test is fixed."');
  });

  it('refuses before any side effect: unmapped slug, node without a repo stamp, human-only node, a flag of another harness, a missing binary', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    const unmapped = await spor(['dispatch', 'x', '--slug', 'ghost']);
    expect(unmapped.exitCode).toBe(1);
    expect(unmapped.stderr).toContain("repo slug 'ghost' is not mapped");
    expect(unmapped.stderr).toContain('spor repos add ghost <path>');
    expect(unmapped.stderr).toContain('--dir');
    await spor(['add', 'Loose end', '--type', 'task', '--id', 'task-loose']);
    await spor(['repos', 'add', 'web', repo]);
    const count = readLog(home).length;
    const noStamp = await spor(['dispatch', 'task-loose']);
    expect(noStamp.exitCode).toBe(1);
    expect(noStamp.stderr).toContain("node 'task-loose' has no repo stamp");
    expect(readLog(home)).toHaveLength(count);
    const human = tempDir();
    writeFileSync(
      join(human, 'task-sign.md'),
      '---\nid: task-sign\ntype: task\ntitle: Sign the contract\nrepo: web\nrequires: [human]\n---\n',
    );
    expect((await spor(['import', human])).exitCode).toBe(0);
    const afterImport = readLog(home).length;
    const needsHuman = await spor(['dispatch', 'task-sign', '--force']);
    expect(needsHuman.exitCode).toBe(1);
    expect(needsHuman.stderr).toContain("node 'task-sign' requires a human");
    expect(needsHuman.stderr).toContain('--force does not override this');
    expect(readLog(home)).toHaveLength(afterImport);
    const flag = await spor(['dispatch', 'x', '--dir', repo, '--sandbox', 'read-only']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('--sandbox is a codex flag, and this dispatch runs claude-code');
    const missing = await spor(['dispatch', 'x', '--dir', repo], {PATH: '/usr/bin:/bin'});
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("the claude-code binary 'claude' is not installed on this machine");
    expect(missing.stderr).toContain('harness.claude-code.binary');
    expect(readLog(home)).toHaveLength(afterImport);
    expect(existsSync(join(home, '.spor', 'runs'))).toBe(false);
  });

  it('a resolved node is refused unless --force', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Old work', '--type', 'task', '--id', 'task-old', '--repo', 'web']);
    await spor(['set-status', 'task-old', 'done']);
    const count = readLog(home).length;
    const refused = await spor(['dispatch', 'task-old']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("node 'task-old' is already resolved (status done)");
    expect(readLog(home)).toHaveLength(count);
    const forced = await spor(['dispatch', 'task-old', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('dispatching anyway (--force)');
    await waitForEnd(home, runIdOf(forced.stdout), {PATH: stubPath()});
  });

  it('an agent in flight for the node is refused; --force dispatches again; runs stop ends it as stopped', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Long job', '--type', 'task', '--id', 'task-long', '--repo', 'web']);
    const first = await spor(['dispatch', 'task-long'], {STUB_MODE: 'hang'});
    expect(first.exitCode).toBe(0);
    const runId = runIdOf(first.stdout);
    const again = await spor(['dispatch', 'task-long']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`an agent is already in flight here for 'task-long' (run ${runId})`);
    const stop = await spor(['runs', 'stop', runId]);
    expect(stop.stdout).toContain(`stopped run ${runId}`);
    expect(await waitForEnd(home, runId, {PATH: stubPath()})).toMatchObject({
      state: 'failed',
      class: 'failed',
      signal: 'stopped',
    });
    const after = await spor(['dispatch', 'task-long']);
    expect(after.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(after.stdout), {PATH: stubPath()});
  });

  it('--worktree runs the harness in a new worktree on a branch named for the node; dispatch-started names both', async () => {
    const {home, rec, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Isolated', '--type', 'task', '--id', 'task-iso', '--repo', 'web']);
    const r = await spor(['dispatch', 'task-iso', '--worktree']);
    expect(r.exitCode).toBe(0);
    const path = join(repo, '.claude', 'worktrees', 'task-iso');
    expect(r.stdout).toContain(`in ${path} (worktree, branch spor/task-iso)`);
    await waitForEnd(home, runIdOf(r.stdout), {PATH: stubPath()});
    expect(received(rec)[0]?.cwd).toBe(path);
    const started = readLog(home).find((e) => e.type === 'dispatch-started');
    expect(started?.data).toMatchObject({
      node: 'task-iso',
      worktree: path,
      branch: 'spor/task-iso',
      dir: path,
      repo_dir: repo,
      slug: 'web',
    });
    expect(readLog(home).map((e) => e.type)).toContain('worktree-created');
    const listed = JSON.parse((await spor(['worktrees', 'list', '--json'])).stdout) as Array<{
      path: string;
      run: string;
      run_ended: boolean;
    }>;
    expect(listed).toEqual([expect.objectContaining({path, run: runIdOf(r.stdout), run_ended: true})]);
  });

  it('a failing worktree setup launches nothing: the run ends failed_launch, the clean worktree and branch are removed, exit non-zero', async () => {
    const {home, rec, spor} = stubMachine();
    const repo = gitRepo();
    const failing = join(tempDir(), 'setup-fails');
    writeFileSync(failing, '#!/bin/sh\necho preparing >&2\nexit 4\n');
    chmodSync(failing, 0o755);
    await spor(['config', 'set', 'dispatch.worktreeSetup', failing]);
    const r = await spor(['dispatch', 'needs setup', '--dir', repo, '--worktree', '--name', 'setup-fails']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('preparing');
    const types = readLog(home).map((e) => e.type);
    expect(types).toContain('worktree-setup-ran');
    expect(readLog(home).at(-1)).toMatchObject({
      type: 'run-ended',
      data: {state: 'failed_launch', class: 'launch', signal: 'worktree'},
    });
    expect(existsSync(join(repo, '.claude', 'worktrees', 'setup-fails'))).toBe(false);
    expect(execFileSync('git', ['branch', '--list', 'spor/*'], {cwd: repo, encoding: 'utf8'})).toBe('');
    // Nothing launched: whatever the dispatch left running (with this test's record file in its
    // environment) ends, and no harness recorded a run.
    expect(await waitForNoneWith('STUB_RECORD', rec)).toEqual([]);
    expect(received(rec)).toEqual([]);
  });

  it('a hook on dispatch-started receives the event as JSON on stdin for a real dispatch', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    const out = join(tempDir(), 'seen.json');
    const hook = join(tempDir(), 'hook.cjs');
    writeFileSync(
      hook,
      `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(out)}, require('node:fs').readFileSync(0));\n`,
    );
    chmodSync(hook, 0o755);
    expect((await spor(['hooks', 'add', 'dispatch-started', hook])).exitCode).toBe(0);
    const r = await spor(['dispatch', 'hooked task', '--dir', repo]);
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), {PATH: stubPath()});
    const event = JSON.parse(readFileSync(out, 'utf8'));
    expect(event).toMatchObject({
      type: 'dispatch-started',
      data: {run_id: runIdOf(r.stdout), task: 'hooked task', dir: repo},
    });
  });

  it('dispatch-started is a gating event: a hook that exits 2 vetoes the dispatch with its reason, and nothing launches', async () => {
    const {home, rec, spor} = stubMachine();
    const repo = gitRepo();
    const hook = join(tempDir(), 'policy');
    writeFileSync(hook, '#!/bin/sh\necho "no dispatches on release day" >&2\nexit 2\n');
    chmodSync(hook, 0o755);
    expect((await spor(['hooks', 'add', 'dispatch-started', hook])).exitCode).toBe(0);
    const r = await spor(['dispatch', 'risky change', '--dir', repo]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('vetoed the dispatch: no dispatches on release day');
    const log = readLog(home);
    expect(log.filter((e) => e.type === 'hook-ran')).toHaveLength(1);
    expect(log.at(-1)).toMatchObject({
      type: 'run-ended',
      data: {state: 'failed_launch', class: 'launch', signal: 'vetoed'},
    });
    expect(await waitForNoneWith('STUB_RECORD', rec)).toEqual([]);
    expect(received(rec)).toEqual([]);
  });

  it('ten concurrent --from-queue dispatches on a queue of ten launch ten different items', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    for (let i = 0; i < 10; i += 1)
      await spor(['add', `Item ${i}`, '--type', 'task', '--id', `task-item-${i}`, '--repo', 'web']);
    // The harnesses stay in flight until the eleventh dispatch has been refused.
    const release = join(tempDir(), 'release');
    const results = await Promise.all(
      Array.from({length: 10}, () => spor(['dispatch', '--from-queue'], {STUB_HOLD: release})),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(10).fill(0));
    const nodes = readLog(home)
      .filter((e) => e.type === 'dispatch-started')
      .map((e) => (e.data as {node: string}).node);
    expect(new Set(nodes).size).toBe(10);
    const eleventh = await spor(['dispatch', '--from-queue']);
    expect(eleventh.exitCode).toBe(1);
    expect(eleventh.stderr).toContain('nothing to dispatch from the queue (in flight here:');
    writeFileSync(release, '');
    for (const r of results) await waitForEnd(home, runIdOf(r.stdout), {PATH: stubPath()});
  }, 120_000);
});

describe('a harness a user plugin adds (plugins/capabilities/examples/aider)', () => {
  it('is chosen through a profile and planned with its own argv, the prompt still on stdin only', async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    expect((await spor(['plugins', 'add', join(ROOT, 'plugins', 'capabilities', 'examples', 'aider')])).exitCode).toBe(
      0,
    );
    expect(
      (await spor(['profile', 'create', 'profile-aider', '--harness', 'aider', '--model', 'sonnet'])).exitCode,
    ).toBe(0);
    const plan = JSON.parse(
      (await spor(['dispatch', 'rename the helper', '--dir', repo, '--profile', 'profile-aider', '--print', '--json']))
        .stdout,
    );
    expect(plan).toMatchObject({harness: 'aider', profile: 'profile-aider', profile_source: 'flag', model: 'sonnet'});
    expect(plan.argv.slice(1)).toEqual([
      '--yes-always',
      '--no-pretty',
      '--message-file',
      '/dev/stdin',
      '--model',
      'sonnet',
    ]);
    expect(plan.argv.join(' ')).not.toContain('rename the helper');
    const wrongFlag = await spor([
      'dispatch',
      'x',
      '--dir',
      repo,
      '--profile',
      'profile-aider',
      '--permission-mode',
      'plan',
      '--print',
    ]);
    expect(wrongFlag.exitCode).toBe(2);
    expect(wrongFlag.stderr).toContain('--permission-mode is a claude-code flag, and this dispatch runs aider');
  });
});
