import * as t from 'typanion';
import {defineEvents, type SporEvent} from './events.js';

// The event types the core owns. `reaction-failed`: the bus records a reaction that threw, so the
// failure is in the history next to the event that triggered it. `log-repaired`: the store cut a
// torn tail (what a writer killed mid-append leaves) off the log, `truncated_bytes` bytes from
// byte `from_offset` (where the last committed record ends), when it took the lock for a write or
// for `spor doctor --repair`.
export type ReactionFailed = SporEvent<
  'reaction-failed',
  1,
  {plugin: string; reaction: string; event_id: string; event_type: string; error: string}
>;

export type LogRepaired = SporEvent<'log-repaired', 1, {truncated_bytes: number; from_offset: number}>;

declare module './events.js' {
  interface SporEventMap {
    'reaction-failed': ReactionFailed;
    'log-repaired': LogRepaired;
  }
}

export const coreEvents = defineEvents<ReactionFailed | LogRepaired>({
  'log-repaired': {
    v: 1,
    data: t.isObject({truncated_bytes: t.isNumber(), from_offset: t.isNumber()}),
    summary: (d) => `cut a torn tail of ${d.truncated_bytes} bytes at byte ${d.from_offset}`,
  },
  'reaction-failed': {
    v: 1,
    data: t.isObject({
      plugin: t.isString(),
      reaction: t.isString(),
      event_id: t.isString(),
      event_type: t.isString(),
      error: t.isString(),
    }),
    summary: (d) => `${d.plugin}/${d.reaction} failed on ${d.event_type}: ${d.error}`,
  },
});
