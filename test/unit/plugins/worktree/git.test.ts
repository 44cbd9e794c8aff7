import {describe, expect, it} from 'vitest';
import {gitComplaint, parseWorktreeList} from '../../../../plugins/worktree/git.js';

describe('parseWorktreeList', () => {
  it('reads each block of `git worktree list --porcelain`', () => {
    const text = [
      'worktree /r',
      'HEAD 1111',
      'branch refs/heads/main',
      '',
      'worktree /r/.claude/worktrees/a',
      'HEAD 2222',
      'branch refs/heads/spor/a',
      '',
      'worktree /r/.claude/worktrees/b',
      'HEAD 3333',
      'detached',
      'prunable gitdir file points to non-existent location',
      '',
      'worktree /bare.git',
      'bare',
      '',
    ].join('\n');
    expect(parseWorktreeList(text)).toEqual([
      {path: '/r', head: '1111', branch: 'refs/heads/main', bare: false, prunable: false},
      {path: '/r/.claude/worktrees/a', head: '2222', branch: 'refs/heads/spor/a', bare: false, prunable: false},
      {path: '/r/.claude/worktrees/b', head: '3333', bare: false, prunable: true},
      {path: '/bare.git', bare: true, prunable: false},
    ]);
  });

  it('reads nothing from nothing', () => {
    expect(parseWorktreeList('')).toEqual([]);
  });
});

describe('gitComplaint', () => {
  it("gives git's first line without its fatal: prefix, or the exit code", () => {
    expect(
      gitComplaint({
        ok: false,
        exitCode: 128,
        stdout: '',
        stderr: `fatal: 'spor/x' is already checked out at '/r'\nmore\n`,
      }),
    ).toBe(`'spor/x' is already checked out at '/r'`);
    expect(gitComplaint({ok: false, exitCode: 1, stdout: '', stderr: ''})).toBe('git exited 1');
  });
});
