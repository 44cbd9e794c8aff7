import {describe, expect, it} from 'vitest';
import type {ResolvedSetting} from '../../../../core/settings.js';
import {worktreeDirOf, worktreeSettings} from '../../../../plugins/worktree/settings.js';

const setting = (value: string, source: ResolvedSetting['source'] = 'repo'): ResolvedSetting => ({
  key: 'dispatch.worktreeDir',
  value,
  source,
  ...(source === 'repo' ? {origin: '/r/.spor.json'} : {}),
  definition: worktreeSettings.find((s) => s.key === 'dispatch.worktreeDir')!,
});

describe('dispatch.worktreeDir', () => {
  it('is a folder under the repository root', () => {
    expect(worktreeDirOf('/r', setting('.claude/worktrees'))).toBe('/r/.claude/worktrees');
    expect(worktreeDirOf('/r', setting('./tmp//trees/'))).toBe('/r/tmp/trees');
    expect(worktreeDirOf('/r', setting('a/../b'))).toBe('/r/b');
  });

  it.each(['../outside', '/abs/path', '.', '', 'a/../../x', '.git', '.git/worktrees'])(
    'refuses %j, whoever set it',
    (value) => {
      for (const source of ['repo', 'machine'] as const) {
        expect(() => worktreeDirOf('/r', setting(value, source))).toThrow(
          expect.objectContaining({code: 'E_WORKTREE_DIR', exitCode: 1}),
        );
      }
    },
  );

  it('names the file the bad value came from', () => {
    expect(() => worktreeDirOf('/r', setting('../x'))).toThrow(
      `dispatch.worktreeDir in /r/.spor.json ('../x') points outside the repository's working tree`,
    );
  });
});

describe('the declared settings', () => {
  it('are the three dispatch worktree keys, with their defaults', () => {
    expect(worktreeSettings.map((s) => [s.key, s.type, s.default, s.repoSafe])).toEqual([
      ['dispatch.worktree', 'boolean', false, true],
      ['dispatch.worktreeDir', 'string', '.claude/worktrees', true],
      ['dispatch.worktreeSetup', 'string', '', true],
    ]);
  });
});
