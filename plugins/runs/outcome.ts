import type {HarnessAdapter, HarnessSignal, RunClass} from './harness.js';
import {environmentCause, type RunState} from './api.js';

export interface Outcome {
  state: RunState;
  class: RunClass;
  signal: string;
  reason: string;
}

/**
 * How a run that exited ended: a stop asked for by the user; else what the harness itself
 * reported; else what its adapter reads in the tail of the output; else the exit status.
 */
export const outcomeOf = (
  exit: {code: number | null; signal: string | null},
  seen: HarnessSignal,
  tail: Array<string>,
  adapter: HarnessAdapter | undefined,
  stopped: boolean,
): Outcome => {
  if (stopped) return {state: 'failed', class: 'failed', signal: 'stopped', reason: 'stopped with `spor runs stop`'};
  const clean = exit.code === 0 && exit.signal === null;
  const reported = seen.outcome;
  if (reported && reported.class !== 'completed') return {state: 'failed', ...reported};
  if (clean) {
    const quiet = seen.sessionId === undefined ? ' (no session id seen)' : '';
    return reported
      ? {state: 'done', ...reported, reason: reported.reason + quiet}
      : {state: 'done', class: 'completed', signal: 'exit 0', reason: `the harness exited 0${quiet}`};
  }
  const cause = adapter?.classify?.(exit, tail) ?? environmentCause(tail);
  if (cause) return {state: 'failed', ...cause};
  const last = tail.at(-1)?.trim().slice(0, 160);
  if (exit.signal !== null)
    return {
      state: 'failed',
      class: 'failed',
      signal: exit.signal,
      reason: `the harness was killed by ${exit.signal}${last ? `; last output: ${last}` : ''}`,
    };
  return {
    state: 'failed',
    class: 'failed',
    signal: `exit ${exit.code}`,
    reason: `the harness exited ${exit.code}${last ? `; last output: ${last}` : ''}`,
  };
};
