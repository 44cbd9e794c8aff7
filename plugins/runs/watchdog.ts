// The bounds the supervisor holds every run to: `runs.timeout` (its whole life) and
// `runs.stallTimeout` (no progress for that long). Time comes from `Timers`, so tests move a fake
// clock instead of waiting.

/** setTimeout/clearTimeout and the time, injectable (vitest's fake timers stand in for them in tests). */
export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface Bounds {
  timeoutMs: number;
  stallMs: number;
}

export interface Watchdog {
  /** The harness showed progress (a line that is not a retry): the stall clock starts again. */
  progress(): void;
  /** The harness exited: no bound fires any more. */
  stop(): void;
}

/**
 * Calls `fire` once, when the run passes `timeoutMs` or goes `stallMs` without `progress()`.
 * `progress()` only notes the time (a chatty harness must not cost a timer per line); the stall
 * timer, when it goes off early, re-arms itself for what is left.
 */
export const watchdog = (
  bounds: Bounds,
  fire: (kind: 'timeout' | 'stalled', ms: number) => void,
  timers: Timers = realTimers,
): Watchdog => {
  let done = false;
  let last = timers.now();
  let stall: unknown;
  const stop = (): void => {
    done = true;
    timers.clear(overall);
    timers.clear(stall);
  };
  const trip = (kind: 'timeout' | 'stalled'): void => {
    if (done) return;
    stop();
    fire(kind, kind === 'timeout' ? bounds.timeoutMs : bounds.stallMs);
  };
  const overall = timers.set(() => trip('timeout'), bounds.timeoutMs);
  const arm = (ms: number): void => {
    stall = timers.set(() => {
      const quiet = timers.now() - last;
      if (quiet >= bounds.stallMs) trip('stalled');
      else if (!done) arm(bounds.stallMs - quiet);
    }, ms);
  };
  arm(bounds.stallMs);
  return {
    progress: () => {
      last = timers.now();
    },
    stop,
  };
};
