// The runs plugin's public surface: the only file other plugins may import.
import {point, token, type EventDraft} from '../../core/index.js';
import type {RunStarted, RunStartedData} from './events.js';
import type {CompanionRequest, RunCompanion} from './companion.js';
import type {HarnessAdapter, RunClass} from './harness.js';
import type {CommitIdentity} from './commitIdentity.js';

export type {CommitIdentity} from './commitIdentity.js';
/** The variables the supervisor adds to the harness's environment for a run's commit identity. */
export {commitEnvKeys} from './commitIdentity.js';

export type {
  HarnessAdapter,
  HarnessFlag,
  HarnessLaunch,
  HarnessLaunchRequest,
  HarnessPreflight,
  HarnessSignal,
  HarnessStreamParser,
  Posture,
  RunClass,
} from './harness.js';
export {POSTURES} from './harness.js';

/**
 * The extension point this plugin owns: launch adapters for agent CLIs (`contributes: {harnesses:
 * [...]}`). Dispatch picks one by name for the argv; the supervisor parses its output with it.
 */
export const HARNESSES = point<HarnessAdapter>('harnesses');

export type {RunStartedData} from './events.js';
export type {
  CompanionOutcome,
  CompanionRequest,
  RunCompanion,
  RunCompanionContext,
  RunCompanionHandle,
} from './companion.js';

/**
 * The extension point this plugin owns for work beside a live run (`contributes: {runCompanions:
 * [...]}`): the launcher names them in the `go` line, the supervisor starts them once the harness
 * started and tells them its session and its end.
 */
export const RUN_COMPANIONS = point<RunCompanion>('runCompanions');

/**
 * The record of a run about to launch (`run-started`, state `launching`): what a flow that claims
 * a run (dispatch) appends in the same batch as its claim. The runs plugin owns the event; this
 * only shapes its draft.
 */
export const runStarted = (data: RunStartedData): EventDraft<RunStarted> => ({type: 'run-started', data});

/** A run's lifecycle: launching → running → done | failed | vanished, or failed_launch. */
export type RunState = 'launching' | 'running' | 'done' | 'failed' | 'vanished' | 'failed_launch';
export const ENDED_RUN_STATES: ReadonlySet<RunState> = new Set(['done', 'failed', 'vanished', 'failed_launch']);

/** What dispatch hands the runs plugin once `dispatch-started` (which carries `run_id`) is durable. */
export interface LaunchSpec {
  runId: string;
  /** The harness adapter's name (`claude-code`, `codex`): the supervisor parses output with it. */
  harness: string;
  /** The exact child to start (argv[0] the binary); never run through a shell. */
  argv: Array<string>;
  /** The harness's whole environment (already filtered by its launcher); `begin` takes the supervisor's own. */
  env: Record<string, string>;
  cwd: string;
  /** Fed to the harness on stdin; kept in the run's private directory, never in argv or the log. */
  prompt: string;
  /** Where the harness may write its final message (the adapter put it in argv when it supports one). */
  reportFile: string;
  /** Companions the supervisor runs beside the harness (`runCompanions` items), sent with `go`. */
  companions?: Array<CompanionRequest>;
  /** Who the run's commits name as author, and the trailers they carry (see commitIdentity.ts). */
  commit?: CommitIdentity;
}

/** What `launch` learned from the supervisor before returning. */
export interface LaunchResult {
  runId: string;
  /** `running` once the harness process started; `failed_launch` when it could not start. */
  state: 'running' | 'failed_launch';
  /** The run's private directory (`$SPOR_HOME/runs/<run-id>/`): output.log, report, prompt. */
  dir: string;
  supervisorPid?: number;
  harnessPid?: number;
  /** Why it did not start, when it did not. */
  reason?: string;
}

/** A supervisor that is booting and waits to be told to start the harness, or to give up. */
export interface PendingLaunch {
  /**
   * Hands it the run (argv, cwd, prompt, and `env`: variables to add for the harness, sent over
   * its stdin pipe, never to a file) once `dispatch-started` is in the log, and waits until it
   * confirms the harness started or reports that it did not (then `run-ended` with state
   * failed_launch is in the log).
   */
  go(spec: LaunchSpec): Promise<LaunchResult>;
  /** Tells it to exit without starting anything; does nothing once `go` was sent. */
  abort(): void;
}

/** One run as `spor runs` shows it (after reconciliation): what `run-started` said, and how it went. */
export interface RunRecord extends Omit<RunStartedData, 'run_id' | 'node'> {
  runId: string;
  nodeId?: string;
  state: RunState;
  class?: RunClass;
  signal?: string;
  reason?: string;
  sessionId?: string;
  supervisorPid?: number;
  harnessPid?: number;
  exitCode?: number | null;
  startedAt: string;
  endedAt?: string;
}

export interface RunsService {
  /** A fresh, sortable, unique run id. */
  newRunId(): string;
  /** `$SPOR_HOME/runs/<run-id>/`. */
  runDir(runId: string): string;
  /**
   * Starts the detached supervisor (spor's own process, no shell) with `env` as its environment
   * (the harness gets the one `go` sends), so it boots while the caller prepares the run. Until `go`
   * it has written nothing; `abort` (or the caller's exit) ends it without a trace.
   */
  begin(runId: string, env: Record<string, string>): PendingLaunch;
  /** `begin(spec.runId, spec.env).go(spec)`. */
  launch(spec: LaunchSpec): Promise<LaunchResult>;
  /**
   * Ends a run that never launched (`run-ended`, state `failed_launch`, class `launch`): what a
   * flow that recorded `run-started` calls when a later step refused (`signal` says which: a hook's
   * veto, the worktree, the supervisor).
   */
  recordFailedLaunch(runId: string, signal: string, reason: string): Promise<void>;
  /** Runs, newest first, reconciled before reading (a dead supervisor's harness ended, the run failed/supervisor-gone). */
  list(opts?: {nodeId?: string; limit?: number}): Promise<Array<RunRecord>>;
  /**
   * Runs of `nodeId` in launching/running whose supervisor is alive, or whose harness is though the
   * supervisor died (a run in its first minute counts without a pid check). Reads only the given
   * runs slice and the processes, so dispatch can call it under the lock.
   */
  inFlight(runs: RunsSlice, nodeId: string, now: Date): Array<RunRecord>;
}

/** The `runs` slice: run records by id (projection of dispatch-started, run-state-changed, run-ended). */
export interface RunsSlice {
  byId: Record<string, RunRecord>;
}

/** Provided by the `runs` plugin. */
export const RUNS = token<RunsService>('spor.runs.Runs');

// What agent CLIs print when the run failed for reasons outside the work itself. `environment`
// (credit, usage, rate limits) is worth re-dispatching later; `auth` and `model-unreachable` need
// the user to fix the harness's credentials or its model endpoint first.
const CAUSES: ReadonlyArray<[cls: RunClass, signal: string, pattern: RegExp, reason: string]> = [
  ['environment', 'credit', /credit balance is too low|insufficient (credit|balance|quota)|billing/i, 'out of credit'],
  [
    'environment',
    'usage-limit',
    /usage limit|limit reached|quota exceeded|exceeded your current quota/i,
    'usage limit reached',
  ],
  ['environment', 'rate-limit', /rate.?limit|too many requests|\b429\b|overloaded|\b529\b/i, 'rate limited'],
  [
    'auth',
    'auth',
    /invalid api key|unauthori[sz]ed|\b401\b|\b403\b|authentication|not logged in|please run \/login|login required|expired token/i,
    'authentication rejected',
  ],
  [
    'model-unreachable',
    'unreachable',
    /unable to connect to api|connectionrefused|econnrefused|enotfound|connection failed|error sending request|waiting for network|could not resolve host|connection refused/i,
    'the model could not be reached',
  ],
];

/**
 * A credit, usage-limit, rate-limit (`environment`), `auth` or `model-unreachable` failure named in
 * `lines` (newest last), as a run outcome: the shared reading every adapter may fall back on.
 */
export const environmentCause = (
  lines: ReadonlyArray<string>,
): {class: RunClass; signal: string; reason: string} | undefined => {
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] as string;
    for (const [cls, signal, pattern, reason] of CAUSES) {
      if (pattern.test(line)) return {class: cls, signal, reason: `${reason}: ${line.trim().slice(0, 160)}`};
    }
  }
  return undefined;
};
