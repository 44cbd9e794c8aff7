import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

/**
 * `spor doctor --repair` cut a torn tail (what a writer killed mid-append leaves) off the log:
 * `truncated_bytes` bytes from byte `from_offset`, which is where the last committed record ends.
 */
export type LogRepaired = SporEvent<'log-repaired', 1, {truncated_bytes: number; from_offset: number}>;
export type LogEvent = LogRepaired;

declare module '../../core/events.js' {
  interface SporEventMap {
    'log-repaired': LogRepaired;
  }
}

export const logEvents = defineEvents<LogEvent>({
  'log-repaired': {
    v: 1,
    data: t.isObject({truncated_bytes: t.isNumber(), from_offset: t.isNumber()}),
    summary: (d) => `cut a torn tail of ${d.truncated_bytes} bytes at byte ${d.from_offset}`,
  },
});
