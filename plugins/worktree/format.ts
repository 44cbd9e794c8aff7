import type {WorktreeStatus} from './inventory.js';

const state = (w: WorktreeStatus): string =>
  !w.exists ? 'missing' : w.clean ? 'clean' : `${w.changes ?? '?'} change${w.changes === 1 ? '' : 's'}`;
const merge = (w: WorktreeStatus): string => (w.merged === null ? 'no branch' : w.merged ? 'merged' : 'not merged');
const run = (w: WorktreeStatus): string => (w.run === null ? 'no run' : `run ${w.run}${w.run_ended ? ' (ended)' : ''}`);

/** One aligned line per worktree: path, branch, state, merge state, run. */
export const worktreeLines = (rows: ReadonlyArray<WorktreeStatus>): Array<string> => {
  const cells = rows.map((w) => [w.path, w.branch, state(w), merge(w), run(w)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => (c[i] as string).length)));
  return cells.map((c) => c.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] as number) : cell)).join('  '));
};
