import {describe, expect, it} from 'vitest';
import {pruneBlocker, type WorktreeStatus} from '../../../../plugins/worktree/inventory.js';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const GRACE = 10 * 60_000;
const row = (over: Partial<WorktreeStatus>): WorktreeStatus => ({
  path: '/r/w/a',
  repo: '/r',
  branch: 'spor/a',
  run: 'r1',
  run_ended: true,
  exists: true,
  clean: true,
  changes: 0,
  merged: true,
  created_branch: true,
  created_at: '2026-01-01T09:00:00.000Z',
  ...over,
});

describe('which worktrees prune leaves alone', () => {
  it('lets a clean worktree whose run ended go', () => {
    expect(pruneBlocker(row({}), NOW, GRACE)).toBeUndefined();
  });

  it('keeps one whose run has not ended, even when clean or gone', () => {
    expect(pruneBlocker(row({run_ended: false}), NOW, GRACE)).toBe('run r1 has not ended');
    expect(pruneBlocker(row({run_ended: false, exists: false, clean: null}), NOW, GRACE)).toBe('run r1 has not ended');
  });

  it('keeps one with uncommitted changes', () => {
    expect(pruneBlocker(row({clean: false, changes: 3}), NOW, GRACE)).toBe('3 uncommitted changes');
    expect(pruneBlocker(row({clean: false, changes: 1}), NOW, GRACE)).toBe('1 uncommitted change');
  });

  it('treats no recorded run as ended, but not within the grace after it was made', () => {
    expect(pruneBlocker(row({run: null, run_ended: false}), NOW, GRACE)).toBeUndefined();
    expect(pruneBlocker(row({run: null, run_ended: false, created_at: '2026-01-01T11:57:00.000Z'}), NOW, GRACE)).toBe(
      'no run recorded for it yet (made 180s ago): a dispatch may still be preparing it',
    );
  });

  it('lets a worktree that is already gone be forgotten', () => {
    expect(
      pruneBlocker(
        row({exists: false, clean: null, changes: null, run: null, created_at: NOW.toISOString()}),
        NOW,
        GRACE,
      ),
    ).toBeUndefined();
  });
});
