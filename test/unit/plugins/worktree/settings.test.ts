import {describe, expect, it} from 'vitest';
import type {ResolvedSetting} from '../../../../core/settings.js';
import {worktreeDirOf, worktreeSettings} from '../../../../plugins/worktree/settings.js';

const setting = (value: string, source: ResolvedSetting['source'] = 'repo', alias?: string): ResolvedSetting => ({
  key: 'worktree.dir',
  value,
  source,
  ...(source === 'repo' ? {origin: '/r/.spor.json'} : {}),
  ...(alias ? {alias} : {}),
  definition: worktreeSettings.find((s) => s.key === 'worktree.dir')!,
});

describe('worktree.dir', () => {
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

  it('names the file the bad value came from, and the key as that file spells it', () => {
    expect(() => worktreeDirOf('/r', setting('../x'))).toThrow(
      `worktree.dir in /r/.spor.json ('../x') points outside the repository's working tree`,
    );
    expect(() => worktreeDirOf('/r', setting('../x', 'repo', 'dispatch.worktreeDir'))).toThrow(
      `dispatch.worktreeDir in /r/.spor.json ('../x') points outside the repository's working tree`,
    );
    expect(() => worktreeDirOf('/r', setting('../x', 'machine'))).toThrow(
      `worktree.dir (this machine) ('../x') points outside the repository's working tree`,
    );
  });
});

describe('the declared settings', () => {
  it('are the three worktree keys, with their defaults and the old dispatch.* names as aliases', () => {
    expect(worktreeSettings.map((s) => [s.key, s.type, s.default, s.repoSafe, s.aliases])).toEqual([
      ['worktree.enabled', 'boolean', false, true, ['dispatch.worktree']],
      ['worktree.dir', 'string', '.claude/worktrees', true, ['dispatch.worktreeDir']],
      ['worktree.setup', 'string', '', true, ['dispatch.worktreeSetup']],
    ]);
  });
});
