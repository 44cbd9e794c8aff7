import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, runIdOf, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const git = (cwd: string, ...args: Array<string>): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });

const put = (file: string, text: string): void => {
  mkdirSync(join(file, '..'), {recursive: true});
  writeFileSync(file, text);
};

describe('.worktreeinclude: ignored files a new worktree gets a copy of', () => {
  it('copies the ignored files it names (at any depth), nothing else, never from other worktrees; they stay ignored', async () => {
    const {home} = tempHome();
    const repo = gitRepo();
    put(join(repo, '.gitignore'), '.env\n*.local\nsecret.key\nnode_modules/\n');
    put(join(repo, '.worktreeinclude'), '.env\nconfig/*.local\nnotes.txt\nnode_modules/keep.js\n');
    git(repo, 'add', '.gitignore', '.worktreeinclude');
    git(repo, 'commit', '-q', '-m', 'ignore rules');
    put(join(repo, '.env'), 'TOKEN=local\n');
    put(join(repo, 'sub', '.env'), 'SUB=1\n');
    put(join(repo, 'config', 'app.local'), 'debug=true\n');
    put(join(repo, 'secret.key'), 'not named\n');
    put(join(repo, 'notes.txt'), 'named but not ignored\n');
    put(join(repo, 'node_modules', 'keep.js'), 'inside an ignored directory\n');
    put(join(repo, 'node_modules', 'other.js'), 'not named\n');
    const env = {PATH: stubPath()};

    const first = await runSpor(['dispatch', 'first', '--dir', repo, '--worktree'], {home, env});
    expect(first.exitCode, first.stderr).toBe(0);
    await waitForEnd(home, runIdOf(first.stdout), env);
    const created = readLog(home).filter((e) => e.type === 'worktree-created');
    const wt = (created[0]?.data as {path: string}).path;
    expect(created[0]?.data).toMatchObject({
      included: ['.env', 'config/app.local', 'node_modules/keep.js', 'sub/.env'],
    });
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('TOKEN=local\n');
    expect(readFileSync(join(wt, 'sub', '.env'), 'utf8')).toBe('SUB=1\n');
    expect(readFileSync(join(wt, 'config', 'app.local'), 'utf8')).toBe('debug=true\n');
    for (const absent of ['secret.key', 'notes.txt', 'node_modules/other.js'])
      expect(existsSync(join(wt, absent)), absent).toBe(false);
    expect(git(wt, 'status', '--porcelain')).toBe('');

    // A second worktree copies from the main checkout only, not from the first worktree's files.
    const second = await runSpor(['dispatch', 'second', '--dir', repo, '--worktree'], {home, env});
    await waitForEnd(home, runIdOf(second.stdout), env);
    expect(readLog(home).filter((e) => e.type === 'worktree-created')[1]?.data).toMatchObject({
      included: ['.env', 'config/app.local', 'node_modules/keep.js', 'sub/.env'],
    });
  });
});

describe('--base <ref>: where the worktree is cut from', () => {
  it("the run's new branch starts at the ref given; --print shows it", async () => {
    const {home} = tempHome();
    const repo = gitRepo();
    git(repo, 'checkout', '-q', '-b', 'release');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'on release');
    const release = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'checkout', '-q', 'main');
    const env = {PATH: stubPath()};

    const print = await runSpor(['dispatch', 'hotfix', '--dir', repo, '--base', 'release', '--print'], {home, env});
    expect(print.stdout).toContain(`(new, from release = ${release.slice(0, 12)})`);
    const r = await runSpor(['dispatch', 'hotfix', '--dir', repo, '--base', 'release'], {home, env});
    expect(r.exitCode, r.stderr).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    expect(git(repo, 'rev-parse', 'spor/hotfix').trim()).toBe(release);
    expect(readLog(home).find((e) => e.type === 'run-started')?.data).toMatchObject({base: release});
  });

  it('a ref that names no commit: exit 1 naming it, nothing appended; with --no-worktree: a usage error', async () => {
    const {home} = tempHome();
    const repo = gitRepo();
    const env = {PATH: stubPath()};
    const before = readLog(home).length;

    const bad = await runSpor(['dispatch', 'hotfix', '--dir', repo, '--base', 'no-such-ref'], {home, env});
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`no commit 'no-such-ref' in ${repo} to cut the worktree from`);
    expect(readLog(home)).toHaveLength(before);
    expect(existsSync(join(repo, '.claude', 'worktrees', 'hotfix'))).toBe(false);

    const usage = await runSpor(['dispatch', 'hotfix', '--dir', repo, '--base', 'main', '--no-worktree'], {home, env});
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('--base cuts a worktree');
    expect(readLog(home)).toHaveLength(before);
  });
});
