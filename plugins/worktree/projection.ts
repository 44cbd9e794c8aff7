import type {SporEvent, Projection} from '../../core/index.js';
import type {WorktreeEvent} from './events.js';

/** One dispatch worktree spor made and has not removed. */
export interface WorktreeRecord {
  path: string;
  repo: string;
  branch: string;
  /** When spor first made (or took over) it: the `at` of its first `worktree-created`. */
  created_at: string;
  /** spor cut the branch itself (so it may delete it once merged). */
  created_branch: boolean;
  /** The latest run started in it, when a `dispatch-started` named it. */
  run: string | null;
  /** That run recorded `run-ended`. */
  run_ended: boolean;
}

/**
 * Dispatch worktrees by absolute path. A dispatch records `dispatch-started` (its claim) before it
 * makes the worktree, so the run it names waits in `pending` (path → run id) until
 * `worktree-created` arrives for that path.
 */
export interface WorktreesState {
  byPath: Record<string, WorktreeRecord>;
  pending: Record<string, string>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    worktrees: WorktreesState;
  }
}

// `dispatch-started` and `run-ended` belong to the dispatch and runs plugins, which may not be
// loaded (or written) yet: they are read here by their type name and checked field by field.
const str = (data: unknown, ...keys: Array<string>): string | undefined => {
  if (typeof data !== 'object' || data === null) return undefined;
  for (const k of keys) {
    const v = (data as Record<string, unknown>)[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

const ENDED_STATES = new Set(['done', 'failed', 'vanished', 'failed_launch']);

const markEnded = (state: WorktreesState, run: string | undefined): WorktreesState => {
  if (run === undefined) return state;
  for (const r of Object.values(state.byPath)) if (r.run === run) r.run_ended = true;
  // A run that ended before its worktree was made (a refused setup) names no worktree.
  for (const [path, waiting] of Object.entries(state.pending)) if (waiting === run) delete state.pending[path];
  return state;
};

export const worktreesProjection: Projection<WorktreesState> = {
  name: 'worktrees',
  version: 2,
  on: ['worktree-created', 'worktree-removed', 'dispatch-started', 'run-ended', 'run-state-changed'],
  initial: () => ({byPath: {}, pending: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as WorktreeEvent;
    switch (e.type) {
      case 'worktree-created': {
        const prev = state.byPath[e.data.path];
        const waiting = state.pending[e.data.path];
        delete state.pending[e.data.path];
        state.byPath[e.data.path] = {
          path: e.data.path,
          repo: e.data.repo,
          branch: e.data.branch,
          created_at: prev?.created_at ?? event.at,
          created_branch: (prev?.created_branch ?? false) || e.data.created_branch,
          run: waiting ?? prev?.run ?? null,
          run_ended: waiting !== undefined ? false : (prev?.run_ended ?? false),
        };
        return state;
      }
      case 'worktree-removed': {
        delete state.byPath[e.data.path];
        return state;
      }
      default:
        break;
    }
    if (event.type === 'dispatch-started') {
      const path = str(event.data, 'worktree');
      const run = str(event.data, 'run_id', 'run');
      if (path === undefined || run === undefined) return state;
      const record = state.byPath[path];
      if (record) {
        record.run = run;
        record.run_ended = false;
      } else state.pending[path] = run;
      return state;
    }
    if (event.type === 'run-ended') return markEnded(state, str(event.data, 'run_id', 'run'));
    if (event.type === 'run-state-changed' && ENDED_STATES.has(str(event.data, 'state', 'to') ?? ''))
      return markEnded(state, str(event.data, 'run_id', 'run'));
    return state;
  },
};
