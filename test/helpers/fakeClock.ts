import type {Clock, IdSource} from '../../core/clock.js';

/** A clock that starts at `start` and moves one second per reading. */
export const fakeClock = (start = '2026-01-01T00:00:00.000Z'): Clock => {
  let t = Date.parse(start);
  return {
    now: () => {
      const d = new Date(t);
      t += 1000;
      return d;
    },
  };
};

/** Ids `ev-1`, `ev-2`, … */
export const counterIds = (prefix = 'ev'): IdSource => {
  let n = 0;
  return {next: () => `${prefix}-${++n}`};
};

/** A clock that stands still until the test moves it (leases, expiries: tests move time, never sleep). */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(iso: string): void;
}

export const manualClock = (start = '2026-01-01T00:00:00.000Z'): ManualClock => {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
};
