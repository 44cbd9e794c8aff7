import {closeSync, existsSync, fstatSync, openSync, readSync} from 'node:fs';
import type {EventDraft} from '../../core/index.js';
import type {RunEnded} from './events.js';
import type {HarnessAdapter} from './harness.js';
import {isHarnessAlive, isSupervisorAlive} from './liveness.js';
import {readPids, runFiles} from './paths.js';
import {ENDED_RUN_STATES, environmentCause, type RunRecord, type RunsSlice} from './api.js';

/** A run younger than this is left alone: its supervisor may not have recorded its pid yet. */
export const GRACE_MS = 60_000;

export const isYoung = (run: RunRecord, now: Date): boolean => now.getTime() - Date.parse(run.startedAt) < GRACE_MS;

/** The pids of a run: the log's, else what its supervisor wrote beside it (the log may not have them yet). */
const pidsOf = (run: RunRecord, runsDir: string | undefined): {supervisor?: number; harness?: number} => {
  const written = runsDir === undefined ? {} : readPids(runFiles(runsDir, run.runId).pids);
  const supervisor = run.supervisorPid ?? written.supervisor;
  const harness = run.harnessPid ?? written.harness;
  return {...(supervisor ? {supervisor} : {}), ...(harness ? {harness} : {})};
};

/**
 * A run whose supervisor is gone without recording an outcome: its harness (by pid) when it had
 * started one. Undefined for an ended run, a live supervisor, or a young run whose supervisor is
 * not known yet.
 */
export const orphanOf = (
  run: RunRecord,
  now: Date,
  runsDir: string | undefined,
): {supervisor?: number; harness?: number} | undefined => {
  if (ENDED_RUN_STATES.has(run.state)) return undefined;
  const pids = pidsOf(run, runsDir);
  if (pids.supervisor === undefined ? isYoung(run, now) : isSupervisorAlive(pids.supervisor, run.runId))
    return undefined;
  return pids;
};

/**
 * In flight: launching or running, and young or with its supervisor alive, or with its harness
 * alive though the supervisor died (an orphan still works on the node until it is ended).
 */
export const isInFlight = (run: RunRecord, now: Date, runsDir?: string): boolean => {
  if (ENDED_RUN_STATES.has(run.state)) return false;
  const orphan = orphanOf(run, now, runsDir);
  return orphan === undefined || isHarnessAlive(orphan.harness, run.runId);
};

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
 * `run-ended` for each run whose supervisor died without recording an outcome, once nothing of its
 * harness is alive (the caller ends an orphaned harness first: `endHarness`): `failed_launch` when
 * it died while `launching`, else `failed`; class `supervisor-gone`, signal `stopped` when
 * `spor runs stop` asked; a cause the output's tail names goes into the reason. A run that never
 * recorded a pid at all ends `vanished` (logs from before pids were written). Decided under the
 * log lock, so two readers never both end a run.
 */
export const reconcile = (
  runs: RunsSlice,
  now: Date,
  runsDir: string,
  adapterOf: (name: string) => HarnessAdapter | undefined,
): Array<EventDraft> => {
  const drafts: Array<EventDraft> = [];
  for (const run of Object.values(runs.byId)) {
    const orphan = orphanOf(run, now, runsDir);
    if (orphan === undefined || isHarnessAlive(orphan.harness, run.runId)) continue;
    const files = runFiles(runsDir, run.runId);
    const tail = tailOf(files.output);
    const cause = adapterOf(run.harness)?.classify?.({code: null, signal: null}, tail) ?? environmentCause(tail);
    const base = {run_id: run.runId, exit_code: null, exit_signal: null, has_report: false};
    const who = orphan.supervisor ? `the supervisor (pid ${orphan.supervisor})` : 'the supervisor';
    const harness = orphan.harness ? `; its harness (pid ${orphan.harness}) is gone` : '';
    const data: RunEnded['data'] =
      orphan.supervisor === undefined && orphan.harness === undefined
        ? {
            ...base,
            state: 'vanished',
            class: 'unknown',
            signal: 'supervisor-gone',
            reason: 'the supervisor never reported the harness started',
          }
        : {
            ...base,
            state: run.state === 'launching' && orphan.harness === undefined ? 'failed_launch' : 'failed',
            class: 'supervisor-gone',
            signal: existsSync(files.stop) ? 'stopped' : 'supervisor-gone',
            reason: `${who} ended without recording an outcome${harness}${cause ? `; the output's tail: ${cause.reason}` : ''}`,
          };
    drafts.push({type: 'run-ended', data});
  }
  return drafts;
};
