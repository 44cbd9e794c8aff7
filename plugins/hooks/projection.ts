import type {SporEvent, Projection} from '../../core/index.js';
import type {HookAdded, HookEvent} from './events.js';

/** One registered hook, as `hook-added` recorded it. */
export type HookEntry = HookAdded['data'];

/** This machine's hooks in the order they were added, and the number the next id gets. */
export interface HooksState {
  next: number;
  hooks: Array<HookEntry>;
}

/** Worktree setup commands this machine approved, by repository (main checkout path). */
export interface SetupApprovalsState {
  byRepo: Record<string, Array<{argv: Array<string>; sha256: string}>>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    hooks: HooksState;
    setupApprovals: SetupApprovalsState;
  }
}

const ID = /^h(\d+)$/;

export const hooksProjection: Projection<HooksState> = {
  name: 'hooks',
  version: 1,
  on: ['hook-added', 'hook-removed'],
  initial: () => ({next: 1, hooks: []}),
  apply: (state, event: SporEvent) => {
    const e = event as HookEvent;
    switch (e.type) {
      case 'hook-added': {
        const n = ID.exec(e.data.id);
        // Ids are never reused, even after `hooks rm`: a hook-ran record always names one hook.
        const next = n ? Math.max(state.next, Number(n[1]) + 1) : state.next;
        return {next, hooks: [...state.hooks.filter((h) => h.id !== e.data.id), e.data]};
      }
      case 'hook-removed':
        return {next: state.next, hooks: state.hooks.filter((h) => h.id !== e.data.id)};
      default:
        return state;
    }
  },
};

// Approvals are only ever added: a repository that goes back to a command approved before needs no
// second approval, and nothing here is secret.
export const setupApprovalsProjection: Projection<SetupApprovalsState> = {
  name: 'setupApprovals',
  version: 1,
  on: ['setup-approved'],
  initial: () => ({byRepo: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as HookEvent;
    if (e.type !== 'setup-approved') return state;
    const known = state.byRepo[e.data.repo] ?? [];
    if (!known.some((a) => a.sha256 === e.data.sha256))
      state.byRepo[e.data.repo] = [...known, {argv: [...e.data.argv], sha256: e.data.sha256}];
    return state;
  },
};
