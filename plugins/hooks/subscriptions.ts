import type {SporEvent} from '../../core/index.js';
import {ANY_EVENT} from './decide.js';
import type {HookRan} from './events.js';
import type {HookEntry, HooksState} from './projection.js';

/**
 * The hooks to run for `event`, in the order they were added. `*` matches every type but
 * `hook-ran` (a `*` hook would otherwise run on the record of its own run, forever). An explicit
 * `hook-ran` subscription sees the runs of hooks on ordinary events only, and never its own run,
 * so hooks watching hooks stop after one step.
 */
export const hooksFor = (state: HooksState, event: SporEvent): Array<HookEntry> => {
  if (event.type !== 'hook-ran') return state.hooks.filter((h) => h.event === event.type || h.event === ANY_EVENT);
  const ran = (event as HookRan).data;
  if (ran.event_type === 'hook-ran') return [];
  return state.hooks.filter((h) => h.event === 'hook-ran' && h.id !== ran.hook);
};
