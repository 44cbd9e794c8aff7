// The real Claude Code commits in a dispatched run (posture full: bypassPermissions; as root it
// needs IS_SANDBOX=1): the commit names the agent and its owner, and carries the run's trailers.
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {runIdOf, waitForEnd} from '../helpers/dispatch.js';
import {fakeModel} from '../helpers/realHarness/direct.js';
import {available} from '../helpers/realHarness/install.js';
import {sandbox} from '../helpers/realHarness/sandbox.js';
import {spor, sporHarnessEnv, writeCodexConfig} from '../helpers/realHarness/viaSpor.js';
import type {Sandbox} from '../helpers/realHarness/sandbox.js';
import type {FakeModel} from '../helpers/fakeModel/index.js';

const isRoot = process.getuid?.() === 0;

const COMMIT = 'echo hi > AGENT.md && git add AGENT.md && git commit -q -m "agent work"';

/** Jo, Jo's agent in use on this machine, the repo mapped as `web`, and a node to dispatch. */
const setUp = async (sb: Sandbox, fake: FakeModel): Promise<void> => {
  for (const args of [
    ['person', 'create', 'Jo'],
    ['agent', 'create', 'jo-laptop'],
    ['agent', 'use', 'agent-jo-laptop'],
    ['repos', 'add', 'web', sb.repo],
    ['add', 'Say hi', '--type', 'task', '--id', 'task-say-hi', '--repo', 'web'],
  ])
    expect((await spor(sb, fake, args)).exitCode).toBe(0);
};

/** The run's one commit: as `spor runs <id> --json` lists it, and its full message. */
const theCommit = async (sb: Sandbox, fake: FakeModel, runId: string) => {
  const detail = JSON.parse((await spor(sb, fake, ['runs', runId, '--json'])).stdout) as {
    worktree: string;
    commits: Array<{sha: string; author: string; subject: string}>;
  };
  const message = detail.commits[0]
    ? execFileSync('git', ['log', '-1', '--format=%B', detail.commits[0].sha], {cwd: detail.worktree, encoding: 'utf8'})
    : '';
  return {commits: detail.commits, message};
};

const EXPECTED_COMMIT = {
  sha: expect.stringMatching(/^[0-9a-f]{40}$/),
  author: 'agent-jo-laptop (for Jo) <agent-jo-laptop@spor.invalid>',
  subject: 'agent work',
};

describe.skipIf(!available('claude'))("the agent's identity on a real Claude Code commit", () => {
  it('a commit made through Bash in a --worktree run: author agent (for owner), Spor-Run / Spor-Node trailers; spor runs lists it', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{shell: COMMIT}, {text: 'done'}]});
    const env: Record<string, string> = isRoot ? {IS_SANDBOX: '1'} : {};
    await setUp(sb, fake);

    const r = await spor(
      sb,
      fake,
      ['dispatch', 'task-say-hi', '--worktree', '--no-brief', '--permission-mode', 'bypassPermissions'],
      env,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const run = await waitForEnd(sb.home, runId, {...sporHarnessEnv(sb, fake), ...env}, 60_000);
    expect(run).toMatchObject({state: 'done', class: 'completed'});

    const {commits, message} = await theCommit(sb, fake, runId);
    expect(commits).toEqual([EXPECTED_COMMIT]);
    expect(message).toBe(`agent work\n\nSpor-Run: ${runId}\nSpor-Node: task-say-hi\n\n`);
  });
});

describe.skipIf(!available('codex'))("the agent's identity on a real codex commit", () => {
  it('a commit made through its shell in a --worktree run (--sandbox danger-full-access: workspace-write keeps .git read-only): same author and trailers', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{shell: COMMIT}, {text: 'done'}]});
    writeCodexConfig(sb, fake);
    await spor(sb, fake, ['config', 'set', 'dispatch.harness', 'codex']);
    await setUp(sb, fake);

    const r = await spor(sb, fake, [
      'dispatch',
      'task-say-hi',
      '--worktree',
      '--no-brief',
      '--sandbox',
      'danger-full-access',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const run = await waitForEnd(sb.home, runId, sporHarnessEnv(sb, fake), 60_000);
    expect(run).toMatchObject({state: 'done', class: 'completed'});

    const {commits, message} = await theCommit(sb, fake, runId);
    expect(commits).toEqual([EXPECTED_COMMIT]);
    expect(message).toBe(`agent work\n\nSpor-Run: ${runId}\nSpor-Node: task-say-hi\n\n`);
  });
});
