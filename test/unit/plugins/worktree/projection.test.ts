import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../../core/events.js';
import {worktreesProjection, type WorktreesState} from '../../../../plugins/worktree/projection.js';

let seq = 0;
const ev = (type: string, data: unknown, at = '2026-01-01T00:00:00.000Z'): SporEvent => ({
  id: `e${++seq}`,
  seq,
  type,
  v: 1,
  at,
  actor: 'machine:test',
  data,
});
const fold = (events: Array<SporEvent>): WorktreesState =>
  events.reduce((s, e) => worktreesProjection.apply(s, e), worktreesProjection.initial());

const created = (path: string, extra: Record<string, unknown> = {}, at?: string) =>
  ev('worktree-created', {path, branch: 'spor/a', repo: '/r', reused: false, created_branch: true, ...extra}, at);

describe('the worktrees slice', () => {
  it('records a created worktree with when it was made and that spor cut its branch', () => {
    expect(fold([created('/r/w/a', {}, '2026-01-02T00:00:00.000Z')]).byPath).toEqual({
      '/r/w/a': {
        path: '/r/w/a',
        repo: '/r',
        branch: 'spor/a',
        created_at: '2026-01-02T00:00:00.000Z',
        created_branch: true,
        run: null,
        run_ended: false,
      },
    });
  });

  it('keeps the first creation time and branch ownership when the worktree is reused', () => {
    const s = fold([
      created('/r/w/a', {}, '2026-01-02T00:00:00.000Z'),
      created('/r/w/a', {reused: true, created_branch: false}, '2026-01-05T00:00:00.000Z'),
    ]);
    expect(s.byPath['/r/w/a']).toMatchObject({created_at: '2026-01-02T00:00:00.000Z', created_branch: true});
  });

  it('ties a run to its worktree from dispatch-started and ends it on run-ended or a terminal run-state-changed', () => {
    const s1 = fold([
      created('/r/w/a'),
      created('/r/w/b'),
      ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
      ev('dispatch-started', {run: 'r2', worktree: '/r/w/b'}),
    ]);
    expect([s1.byPath['/r/w/a']?.run, s1.byPath['/r/w/b']?.run]).toEqual(['r1', 'r2']);
    const s2 = fold([
      created('/r/w/a'),
      ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
      ev('run-ended', {run_id: 'r1', state: 'done'}),
    ]);
    expect(s2.byPath['/r/w/a']).toMatchObject({run: 'r1', run_ended: true});
    const s3 = fold([
      created('/r/w/a'),
      ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
      ev('run-state-changed', {run_id: 'r1', state: 'running'}),
    ]);
    expect(s3.byPath['/r/w/a']?.run_ended).toBe(false);
    const s4 = fold([
      created('/r/w/a'),
      ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
      ev('run-state-changed', {run_id: 'r1', state: 'vanished'}),
    ]);
    expect(s4.byPath['/r/w/a']?.run_ended).toBe(true);
  });

  it("a new run in a reused worktree is not ended by the old run's end", () => {
    const s = fold([
      created('/r/w/a'),
      ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
      ev('run-ended', {run_id: 'r1'}),
      ev('dispatch-started', {run_id: 'r2', worktree: '/r/w/a'}),
    ]);
    expect(s.byPath['/r/w/a']).toMatchObject({run: 'r2', run_ended: false});
  });

  it('ignores dispatch-started without a worktree of its own, and malformed data', () => {
    const before = fold([created('/r/w/a')]);
    const after = fold([
      created('/r/w/a'),
      ev('dispatch-started', {run_id: 'r1', worktree: null}),
      ev('dispatch-started', 'garbage'),
      ev('run-ended', null),
      ev('dispatch-started', {run_id: 'r9', worktree: '/elsewhere'}),
    ]);
    expect(after.byPath).toEqual(before.byPath);
    // A worktree a run names before it exists waits for its worktree-created.
    expect(after.pending).toEqual({'/elsewhere': 'r9'});
  });

  it('ties a run to the worktree its dispatch-started named before the worktree was made (the order dispatch records them)', () => {
    const s = fold([ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}), created('/r/w/a')]);
    expect(s.byPath['/r/w/a']).toMatchObject({run: 'r1', run_ended: false});
    expect(s.pending).toEqual({});
    expect(
      fold([
        ev('dispatch-started', {run_id: 'r1', worktree: '/r/w/a'}),
        created('/r/w/a'),
        ev('run-ended', {run_id: 'r1'}),
      ]).byPath['/r/w/a']?.run_ended,
    ).toBe(true);
    // A run that ended before its worktree existed leaves nothing waiting.
    expect(
      fold([ev('dispatch-started', {run_id: 'r2', worktree: '/r/w/b'}), ev('run-ended', {run_id: 'r2'})]).pending,
    ).toEqual({});
  });

  it('forgets a removed worktree, and leaves the state alone for unknown events', () => {
    expect(
      fold([created('/r/w/a'), ev('worktree-removed', {path: '/r/w/a', branch: 'spor/a', branch_deleted: true})])
        .byPath,
    ).toEqual({});
    const s = fold([created('/r/w/a')]);
    expect(worktreesProjection.apply(s, ev('repo-added', {slug: 'x', path: '/x'}))).toEqual(fold([created('/r/w/a')]));
  });
});
