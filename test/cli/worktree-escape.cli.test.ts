import {execFileSync} from 'node:child_process';
import {readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, stubPath} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const commit = (repo: string): void => {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  execFileSync('git', ['add', '-A'], {cwd: repo, env});
  execFileSync('git', ['commit', '-q', '-m', 'config'], {cwd: repo, env});
};

describe("a repository's dispatch.worktreeDir cannot place a checkout outside it", () => {
  it('a committed symlink named as the worktree folder is judged by where it leads: refused, nothing recorded', async () => {
    const {home} = tempHome();
    const outside = tempDir('spor-outside-');
    const repo = gitRepo();
    symlinkSync(outside, join(repo, 'trees'));
    writeFileSync(join(repo, '.spor.json'), JSON.stringify({dispatch: {worktree: true, worktreeDir: 'trees'}}));
    commit(repo);

    const r = await runSpor(['dispatch', 'do the thing', '--dir', repo], {home, env: {PATH: stubPath()}});
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `spor: dispatch.worktreeDir in ${join(repo, '.spor.json')} ('trees') points outside the repository's working tree`,
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(readLog(home).map((e) => e.type)).not.toContain('dispatch-started');
  });

  it('a NUL byte in it is refused while planning, before dispatch-started is recorded', async () => {
    const {home} = tempHome();
    const repo = gitRepo();
    writeFileSync(join(repo, '.spor.json'), JSON.stringify({dispatch: {worktree: true, worktreeDir: 'tr\u0000ees'}}));
    commit(repo);

    const r = await runSpor(['dispatch', 'do the thing', '--dir', repo], {home, env: {PATH: stubPath()}});
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `spor: dispatch.worktreeDir in ${join(repo, '.spor.json')} contains control characters ("tr\\u0000ees")`,
    );
    expect(r.stderr).not.toContain('internal error');
    expect(readLog(home).map((e) => e.type)).not.toContain('dispatch-started');
  });
});
