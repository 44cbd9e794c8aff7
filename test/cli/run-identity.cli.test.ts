import {execFileSync} from 'node:child_process';
import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, runIdOf, STUB_PASSTHROUGH, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const git = (cwd: string, ...args: Array<string>): string =>
  execFileSync('git', args, {cwd, encoding: 'utf8', env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd}});

describe("the agent's identity on its work", () => {
  it("commits made in a run carry the agent (for its owner) as author and committer, and Spor-Run / Spor-Node trailers — even with --no-verify; the repository's own hooks still run", async () => {
    const {home} = tempHome();
    const spor = (args: Array<string>, env: Record<string, string> = {}) => runSpor(args, {home, env});
    const repo = gitRepo();
    // The repository's own commit-msg hook: it must still run inside the run.
    writeFileSync(join(repo, '.git', 'hooks', 'commit-msg'), '#!/bin/sh\nprintf "Checked-By: repo-hook\\n" >> "$1"\n');
    chmodSync(join(repo, '.git', 'hooks', 'commit-msg'), 0o755);
    await spor(['person', 'create', 'Jo']);
    await spor(['agent', 'create', 'jo-laptop']);
    await spor(['agent', 'use', 'agent-jo-laptop']);
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Fix the login test', '--type', 'task', '--id', 'task-fix-login', '--repo', 'web']);
    const env = {PATH: stubPath(), STUB_MODE: 'commit', ...STUB_PASSTHROUGH};

    const print = await spor(['dispatch', 'task-fix-login', '--worktree', '--print'], env);
    expect(print.stdout).toContain('commits by  agent-jo-laptop (for Jo) <agent-jo-laptop@spor.invalid>');
    const r = await spor(['dispatch', 'task-fix-login', '--worktree'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const run = await waitForEnd(home, runId, env);
    expect(run).toMatchObject({state: 'done'});

    const wt = (JSON.parse((await spor(['runs', runId, '--json'], env)).stdout) as {worktree: string}).worktree;
    const log = git(wt, 'log', '--format=%an <%ae>|%cn <%ce>|%B%x00', '-2').split('\0\n');
    const who = 'agent-jo-laptop (for Jo) <agent-jo-laptop@spor.invalid>';
    expect(log[0]).toBe(`${who}|${who}|more agent work\n\nSpor-Run: ${runId}\nSpor-Node: task-fix-login\n`);
    expect(log[1]).toBe(
      `${who}|${who}|agent work\n\nSpor-Run: ${runId}\nSpor-Node: task-fix-login\nChecked-By: repo-hook\n`,
    );
    // The main checkout's history and identity are untouched.
    expect(git(repo, 'log', '--format=%an %s', 'main')).toBe('t init\n');

    const detail = await spor(['runs', runId], env);
    expect(detail.stdout).toMatch(/commits {4}2 on spor\/task-fix-login since [0-9a-f]{12}\n/);
    expect(detail.stdout).toMatch(
      /[0-9a-f]{12} more agent work \(agent-jo-laptop \(for Jo\) <agent-jo-laptop@spor\.invalid>\)/,
    );
    const json = JSON.parse((await spor(['runs', runId, '--json'], env)).stdout) as {
      commits: Array<{subject: string}>;
    };
    expect(json.commits.map((c) => c.subject)).toEqual(['more agent work', 'agent work']);
  });

  it('without an agent, the user stays the author; the trailers are added all the same', async () => {
    const {home} = tempHome();
    // The user's own git identity, where their git reads it.
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Jo Human\n\temail = jo@example.com\n');
    const repo = gitRepo();
    const env = {PATH: stubPath(), STUB_MODE: 'commit', ...STUB_PASSTHROUGH};
    const r = await runSpor(['dispatch', 'tidy up', '--dir', repo], {home, env});
    const runId = runIdOf(r.stdout);
    expect(await waitForEnd(home, runId, env)).toMatchObject({state: 'done'});
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%B')).toBe(
      `Jo Human <jo@example.com>|more agent work\n\nSpor-Run: ${runId}\n\n`,
    );
  });
});
