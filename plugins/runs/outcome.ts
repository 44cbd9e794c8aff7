import {formatDuration} from '../../core/index.js';
import type {HarnessAdapter, HarnessSignal, RunClass} from './harness.js';
import {environmentCause, type RunState} from './api.js';

export interface Outcome {
  state: RunState;
  class: RunClass;
  signal: string;
  reason: string;
}

/** What the supervisor knows of how the harness came to exit, besides the exit itself. */
export interface Ending {
  /** `spor runs stop` asked for it. */
  stopped: boolean;
  /** The supervisor stopped it: past `runs.timeout`, or no output for `runs.stallTimeout`. */
  bound?: {kind: 'timeout' | 'stalled'; ms: number};
  /** The last line the harness printed was a retry of a model it could not reach. */
  retrying?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The tool names in `denied`, each once, in the order first refused. */
export const deniedTools = (denied: ReadonlyArray<string>): Array<string> => [...new Set(denied)];

/**
 * How a run that exited ended: a stop asked for by the user; else a bound the supervisor enforced
 * (timeout, stall, or a model that stayed unreachable); else what the harness itself reported;
 * else, on a clean exit, `permission-denied` when the harness refused any tool call (a run whose
 * edits were refused is not a clean `done`), or done; else what its adapter reads in the tail of
 * the output; else the exit status.
 */
export const outcomeOf = (
  exit: {code: number | null; signal: string | null},
  seen: HarnessSignal,
  tail: Array<string>,
  adapter: HarnessAdapter | undefined,
  ending: Ending,
): Outcome => {
  if (ending.stopped)
    return {state: 'failed', class: 'failed', signal: 'stopped', reason: 'stopped with `spor runs stop`'};
  if (ending.bound?.kind === 'timeout')
    return {
      state: 'failed',
      class: 'timeout',
      signal: 'timeout',
      reason: `the run passed runs.timeout (${formatDuration(ending.bound.ms)}) and was stopped`,
    };
  if (ending.bound?.kind === 'stalled')
    return ending.retrying
      ? {
          state: 'failed',
          class: 'model-unreachable',
          signal: 'unreachable',
          reason: `the harness kept retrying a model it could not reach for ${formatDuration(ending.bound.ms)} (runs.stallTimeout) and was stopped`,
        }
      : {
          state: 'failed',
          class: 'stalled',
          signal: 'stalled',
          reason: `no output for ${formatDuration(ending.bound.ms)} (runs.stallTimeout); the harness was stopped`,
        };
  const clean = exit.code === 0 && exit.signal === null;
  const reported = seen.outcome;
  if (reported && reported.class !== 'completed') return {state: 'failed', ...reported};
  if (clean) {
    const denied = seen.denied ?? [];
    if (denied.length > 0)
      return {
        state: 'failed',
        class: 'permission-denied',
        signal: 'denied',
        reason: `the harness refused ${plural(denied.length, 'tool call')} (${deniedTools(denied).join(', ')}): the agent's work is incomplete`,
      };
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
