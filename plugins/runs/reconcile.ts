import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import type {EventDraft} from '../../core/index.js';
import type {HarnessAdapter} from './harness.js';
import {isSupervisorAlive} from './liveness.js';
import {runFiles} from './paths.js';
import {ENDED_RUN_STATES, environmentCause, type RunRecord, type RunsSlice} from './api.js';

/** A run younger than this is left alone: its supervisor may not have recorded its pid yet. */
export const GRACE_MS = 60_000;

export const isYoung = (run: RunRecord, now: Date): boolean => now.getTime() - Date.parse(run.startedAt) < GRACE_MS;

/** In flight: launching or running, and young or with its supervisor alive. */
export const isInFlight = (run: RunRecord, now: Date): boolean =>
  !ENDED_RUN_STATES.has(run.state) && (isYoung(run, now) || isSupervisorAlive(run.supervisorPid, run.runId));

const TAIL_BYTES = 64 * 1024;

// A long run's output may be large: only its end can say why it stopped.
const tailOf = (file: string): Array<string> => {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, TAIL_BYTES));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-40);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/**
 * `run-ended` for each run whose supervisor died without recording an outcome: `vanished`, or
 * `failed`/environment when the output's tail names such a cause. Decided under the log lock, so
 * two readers never both end a run.
 */
export const reconcile = (
  runs: RunsSlice,
  now: Date,
  runsDir: string,
  adapterOf: (name: string) => HarnessAdapter | undefined,
): Array<EventDraft> => {
  const drafts: Array<EventDraft> = [];
  for (const run of Object.values(runs.byId)) {
    if (ENDED_RUN_STATES.has(run.state) || isYoung(run, now) || isSupervisorAlive(run.supervisorPid, run.runId))
      continue;
    const tail = tailOf(runFiles(runsDir, run.runId).output);
    const cause = adapterOf(run.harness)?.classify?.({code: null, signal: null}, tail) ?? environmentCause(tail);
    const base = {run_id: run.runId, exit_code: null, exit_signal: null, has_report: false};
    drafts.push({
      type: 'run-ended',
      data: cause
        ? {
            ...base,
            state: 'failed',
            class: cause.class,
            signal: cause.signal,
            reason: `${cause.reason} (the supervisor is gone)`,
          }
        : {
            ...base,
            state: 'vanished',
            class: 'unknown',
            signal: 'supervisor-gone',
            reason: run.supervisorPid
              ? `the supervisor (pid ${run.supervisorPid}) ended without recording an outcome`
              : 'the supervisor never reported the harness started',
          },
    });
  }
  return drafts;
};
