import type {SporEvent, Projection} from '../../core/index.js';
import type {HookAdded, HookEvent} from './events.js';

/** One registered hook, as `hook-added` recorded it. */
export type HookEntry = HookAdded['data'];

/** This machine's hooks in the order they were added, and the number the next id gets. */
export interface HooksState {
  next: number;
  hooks: Array<HookEntry>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    hooks: HooksState;
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
