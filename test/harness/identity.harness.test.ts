// The real Claude Code commits in a dispatched run (posture full: bypassPermissions; as root it
// needs IS_SANDBOX=1): the commit names the agent and its owner, and carries the run's trailers.
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {runIdOf, waitForEnd} from '../helpers/dispatch.js';
import {fakeModel} from '../helpers/realHarness/direct.js';
import {available} from '../helpers/realHarness/install.js';
import {sandbox} from '../helpers/realHarness/sandbox.js';
import {spor, sporHarnessEnv} from '../helpers/realHarness/viaSpor.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!available('claude'))("the agent's identity on a real Claude Code commit", () => {
  it('a commit made through Bash in a --worktree run: author agent (for owner), Spor-Run / Spor-Node trailers; spor runs lists it', async () => {
    const sb = sandbox();
    const fake = await fakeModel({
      script: [{shell: 'echo hi > AGENT.md && git add AGENT.md && git commit -q -m "agent work"'}, {text: 'done'}],
    });
    const env: Record<string, string> = isRoot ? {IS_SANDBOX: '1'} : {};
    for (const args of [
      ['person', 'create', 'Jo'],
      ['agent', 'create', 'jo-laptop'],
      ['agent', 'use', 'agent-jo-laptop'],
      ['repos', 'add', 'web', sb.repo],
      ['add', 'Say hi', '--type', 'task', '--id', 'task-say-hi', '--repo', 'web'],
    ])
      expect((await spor(sb, fake, args)).exitCode).toBe(0);

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

    const detail = JSON.parse((await spor(sb, fake, ['runs', runId, '--json'])).stdout) as {
      worktree: string;
      commits: Array<{sha: string; author: string; subject: string}>;
    };
    expect(detail.commits).toEqual([
      {
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        author: 'agent-jo-laptop (for Jo) <agent-jo-laptop@spor.invalid>',
        subject: 'agent work',
      },
    ]);
    const message = execFileSync('git', ['log', '-1', '--format=%B', detail.commits[0]?.sha as string], {
      cwd: detail.worktree,
      encoding: 'utf8',
    });
    expect(message).toBe(`agent work\n\nSpor-Run: ${runId}\nSpor-Node: task-say-hi\n\n`);
  });
});
