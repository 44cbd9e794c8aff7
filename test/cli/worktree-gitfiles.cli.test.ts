import {execFileSync} from 'node:child_process';
import {appendFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {branchOnDisk, excludedOnDisk, plainGitDir} from '../../plugins/worktree/gitFiles.js';
import {gitRepo} from '../helpers/dispatch.js';

const git = (cwd: string, ...args: Array<string>): string => execFileSync('git', args, {cwd, encoding: 'utf8'});
const gitSays = (repo: string, branch: string): boolean => {
  try {
    git(repo, 'rev-parse', '--verify', '-q', `refs/heads/${branch}`);
    return true;
  } catch {
    return false;
  }
};

describe('reading what git would answer from the repository files', () => {
  it('finds a branch as git does, loose or packed, and not a prefix or a longer name', () => {
    const repo = gitRepo();
    const dir = plainGitDir(repo) as string;
    expect(dir).toBe(join(repo, '.git'));
    git(repo, 'branch', 'spor/loose');
    git(repo, 'branch', 'spor/packed');
    git(repo, 'pack-refs', '--all');
    git(repo, 'branch', 'spor/packed-then-loose');
    for (const branch of [
      'spor/loose',
      'spor/packed',
      'spor/packed-then-loose',
      'spor',
      'spor/pack',
      'spor/loose/deeper',
      'main',
      'nope',
    ]) {
      expect(branchOnDisk(dir, branch), branch).toBe(gitSays(repo, branch));
    }
    git(repo, 'branch', '-D', 'spor/packed');
    expect(branchOnDisk(dir, 'spor/packed')).toBe(false);
    expect(gitSays(repo, 'spor/packed')).toBe(false);
  });

  it('leaves to git what the files do not settle: a linked worktree, a subfolder, reftable, other ignore rules', () => {
    const repo = gitRepo();
    const linked = join(repo, '..', `${repo.split('/').pop()}-linked`);
    git(repo, 'worktree', 'add', '-q', '--detach', linked);
    expect(plainGitDir(linked)).toBeUndefined();
    mkdirSync(join(repo, 'sub'));
    expect(plainGitDir(join(repo, 'sub'))).toBeUndefined();
    mkdirSync(join(repo, '.git', 'reftable'));
    expect(branchOnDisk(join(repo, '.git'), 'main')).toBeUndefined();
    const dir = join(gitRepo(), '.git');
    expect(excludedOnDisk(dir, '/.claude/worktrees/')).toBeUndefined();
    appendFileSync(join(dir, 'info', 'exclude'), '/.claude/worktrees/\n');
    expect(excludedOnDisk(dir, '/.claude/worktrees/')).toBe(true);
    expect(excludedOnDisk(dir, '/.claude/')).toBeUndefined();
  });
});
