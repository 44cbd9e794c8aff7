import type {Prober} from './prober.js';
import type {ProbeResult} from './events.js';
import {cleanFinding} from './finding.js';

export interface ProbeRunOptions {
  env: NodeJS.ProcessEnv;
  setting(key: string): Promise<string | number | boolean>;
  /** Each prober's deadline; at it, its signal aborts and it is reported as timed out. */
  deadlineMs: number;
}

const messageOf = (e: unknown): string =>
  ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').trim() || 'failed';

/** Runs one prober against its deadline; never throws and never waits past the deadline. */
const runOne = async (prober: Prober, opts: ProbeRunOptions): Promise<ProbeResult> => {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${opts.deadlineMs}ms`));
    }, opts.deadlineMs);
  });
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    // Called inside the race so that a prober that throws synchronously is reported like any other.
    const raw = await Promise.race([
      Promise.resolve().then(() => prober.probe({env: opts.env, setting: opts.setting, signal: controller.signal})),
      deadline,
    ]);
    const clean = cleanFinding(raw);
    return 'error' in clean
      ? {prober: prober.name, ok: false, error: clean.error, duration_ms: elapsed()}
      : {prober: prober.name, ok: true, finding: clean.finding, duration_ms: elapsed()};
  } catch (e) {
    return {prober: prober.name, ok: false, error: messageOf(e), duration_ms: elapsed()};
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Runs every prober at once, each against its own deadline, and reports each outcome in the order
 * given. A prober that throws, returns a malformed finding or outlives its deadline is reported as
 * failed and never delays the others beyond that deadline.
 */
export const runProbers = (probers: ReadonlyArray<Prober>, opts: ProbeRunOptions): Promise<Array<ProbeResult>> =>
  Promise.all(probers.map((p) => runOne(p, opts)));
