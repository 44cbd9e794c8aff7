import {nodeChildProcess, type Host} from '../../core/index.js';
import type {HarnessAdapter, HarnessSignal} from './harness.js';
import {appendFileSync, closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync} from 'node:fs';
import type {CompanionOutcome, CompanionRequest, RunCompanion, RunCompanionHandle} from './companion.js';
import {commitEnv, type CommitIdentity} from './commitIdentity.js';
import {deniedTools, outcomeOf, type Ending} from './outcome.js';
import {runFiles} from './paths.js';
import {realTimers, watchdog, type Bounds, type Timers} from './watchdog.js';

/** What dispatch wrote for the supervisor (the environment comes as the supervisor's own). */
export interface SupervisorSpec {
  runId: string;
  harness: string;
  argv: Array<string>;
  cwd: string;
  reportFile: string;
  commit?: CommitIdentity;
}

/** The line the supervisor sends its launcher on fd 3 once it knows whether the harness started. */
export interface LaunchNotice {
  state: 'running' | 'failed_launch';
  pid?: number;
  reason?: string;
}

const TAIL = 40;
const DRAIN_MS = 2000;
// How long the run's companions may take to finish after it ended (a release over the network).
const COMPANION_END_MS = 20_000;

/** A companion the launcher asked for, and its item (undefined: no plugin provides it). */
export interface CompanionToStart {
  request: CompanionRequest;
  companion: RunCompanion | undefined;
}

/** After SIGTERM for a bound, how long the harness has to exit before SIGKILL. */
export const KILL_GRACE_MS = 5000;

const signalGroup = (pid: number | undefined, signal: NodeJS.Signals): void => {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
};

/**
 * Runs one harness to its end: stdin from the prompt file, stdout and stderr into output.log,
 * each stdout line through the adapter's parser, and the run's state changes appended as events.
 * Resolves when `run-ended` is durable. `notify` is called exactly once.
 */
export const supervise = async (
  host: Host,
  runsDir: string,
  runId: string,
  adapter: HarnessAdapter | undefined,
  env: NodeJS.ProcessEnv,
  notify: (n: LaunchNotice) => void,
  bounds: Bounds,
  companions: ReadonlyArray<CompanionToStart> = [],
  timers: Timers = realTimers,
): Promise<void> => {
  const files = runFiles(runsDir, runId);
  const warn = (message: string): void =>
    appendFileSync(files.supervisorLog, `${new Date().toISOString()} ${message}\n`, {mode: 0o600});
  const pids = (harness?: number): void =>
    writeFileSync(files.pids, `${JSON.stringify({supervisor: process.pid, ...(harness ? {harness} : {})})}\n`, {
      mode: 0o600,
    });
  pids();
  const spec = JSON.parse(readFileSync(files.spec, 'utf8')) as SupervisorSpec;
  const out = openSync(files.output, 'a', 0o600);
  const stdin = openSync(files.prompt, 'r');
  const tail: Array<string> = [];
  const seen: HarnessSignal = {};
  const parser = adapter?.parser();
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
  };
  const ending: Ending = {stopped: false};

  const ended = async (data: Record<string, unknown>): Promise<void> => {
    await host.append([{type: 'run-ended', data: {run_id: runId, ...data}}]);
  };

  // The harness leads its own process group, so `spor runs stop` can end it and whatever it started.
  // The agent's commits carry who made them (author, trailers): see commitIdentity.ts.
  const harnessEnv = spec.commit ? {...env, ...commitEnv(spec.commit, files.gitHooks, spec.cwd, env)} : env;
  const child = nodeChildProcess().spawn(spec.argv[0] as string, spec.argv.slice(1), {
    cwd: spec.cwd,
    env: harnessEnv,
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
  });
  closeSync(stdin);
  // The companions start once the run is recorded; a session id the harness named before that is
  // told to them as they start.
  let handles: ReturnType<typeof startCompanions> = [];
  let sessionTold = false;
  const tellSession = (): void => {
    if (seen.sessionId === undefined || sessionTold || handles.length === 0) return;
    sessionTold = true;
    const id = seen.sessionId;
    for (const {name, handle} of handles)
      handle.session?.(id).catch((e: unknown) => warn(`companion ${name}: ${messageOf(e)}`));
  };
  // Every run is bounded: past runs.timeout, or without progress for runs.stallTimeout, the
  // harness's group gets SIGTERM, then SIGKILL; the exit that follows is recorded as that bound.
  let killer: unknown;
  const dog = watchdog(
    bounds,
    (kind, ms) => {
      ending.bound = {kind, ms};
      signalGroup(child.pid, 'SIGTERM');
      killer = timers.set(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    },
    timers,
  );
  // Read from the start, before anything is awaited: recording the start runs every hook on it, and
  // a harness that is done by then must not have its output (or its end) wait on them, unread.
  const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): Promise<void> =>
    new Promise((resolve) => {
      let partial = '';
      const take = (line: string): void => {
        keep(line);
        let signal;
        try {
          signal = parser?.line(line, name);
        } catch {
          /* a parser that throws on garbage reads nothing from it */
        }
        // A retry of an unreachable model is not progress; anything else is. What the harness
        // prints once a bound stopped it (its goodbye on SIGTERM) does not change why it stopped.
        if (!ending.bound) {
          ending.retrying = signal?.retrying === true;
          if (!ending.retrying) dog.progress();
        }
        if (signal) Object.assign(seen, signal);
        tellSession();
      };
      stream.on('data', (chunk: Buffer) => {
        writeSync(out, chunk);
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const p of parts) take(p);
      });
      stream.on('end', () => {
        if (partial !== '') take(partial);
        resolve();
      });
      stream.on('error', () => resolve());
    });
  const streams = Promise.all([
    lines(child.stdout as NodeJS.ReadableStream, 'stdout'),
    lines(child.stderr as NodeJS.ReadableStream, 'stderr'),
  ]);
  // Listened for from the start: a harness that exits at once must not exit unheard.
  const exited = new Promise<{code: number | null; signal: string | null}>((resolve) =>
    child.once('exit', (code, signal) => resolve({code, signal})),
  );
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    // Only a failure to start ends the run here; a later 'error' (a failed kill) does not.
    child.once('error', async (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      const reason = `could not start ${spec.argv[0]}: ${e.code ?? e.message}`;
      writeSync(out, `spor: ${reason}\n`);
      await ended({
        state: 'failed_launch',
        class: 'launch',
        signal: e.code ?? 'error',
        reason,
        exit_code: null,
        exit_signal: null,
        has_report: false,
      });
      notify({state: 'failed_launch', reason});
      resolve(false);
    });
  });
  if (!started) {
    dog.stop();
    closeSync(out);
    return;
  }
  // Before anyone hears of it: should this process die, the reconciler finds the harness by this.
  pids(child.pid);
  // The harness started: the launcher, waiting on that, is told at once (a run it reads meanwhile
  // is `launching`, in flight all the same), and then the change is recorded.
  notify({state: 'running', pid: child.pid});
  await host.append([
    {
      type: 'run-state-changed',
      data: {run_id: runId, from: 'launching', to: 'running', pid: child.pid, supervisor_pid: process.pid},
    },
  ]);
  handles = startCompanions(companions, runId, warn);
  tellSession();

  const exit = await exited;
  dog.stop();
  timers.clear(killer);
  // A process the harness left behind may hold its output open: read what is there, then stop waiting.
  // The timer keeps this process alive while it waits (an unref'd one let it exit mid-drain,
  // with nothing else pending, before the run's end was recorded).
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([streams, new Promise((r) => (drainTimer = setTimeout(r, DRAIN_MS)))]);
  clearTimeout(drainTimer);
  child.stdout?.destroy();
  child.stderr?.destroy();
  closeSync(out);
  if (seen.report !== undefined) writeFileSync(files.report, seen.report, {mode: 0o600});
  ending.stopped = existsSync(files.stop);
  const outcome = outcomeOf(exit, seen, tail, adapter, ending);
  const denied = seen.denied ?? [];
  await ended({
    state: outcome.state,
    class: outcome.class,
    signal: outcome.signal,
    reason: outcome.reason,
    exit_code: exit.code,
    exit_signal: exit.signal,
    ...(seen.sessionId ? {session_id: seen.sessionId} : {}),
    has_report: existsSync(files.report),
    ...(denied.length > 0 ? {denied: denied.length, denied_tools: deniedTools(denied)} : {}),
  });
  await endCompanions(handles, {state: outcome.state, class: outcome.class, reason: outcome.reason}, warn);
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Starts each companion; one that is missing or throws is a line in supervisor.log, never the run's end. */
const startCompanions = (
  companions: ReadonlyArray<CompanionToStart>,
  runId: string,
  warn: (message: string) => void,
): Array<{name: string; handle: RunCompanionHandle}> => {
  const handles: Array<{name: string; handle: RunCompanionHandle}> = [];
  for (const {request, companion} of companions) {
    if (!companion) {
      warn(`no plugin provides the run companion '${request.name}'`);
      continue;
    }
    try {
      handles.push({name: request.name, handle: companion.start({runId, data: request.data, warn})});
    } catch (e) {
      warn(`companion ${request.name} did not start: ${messageOf(e)}`);
    }
  }
  return handles;
};

/** Tells every companion how the run ended and waits for them, at most COMPANION_END_MS. */
const endCompanions = async (
  handles: ReadonlyArray<{name: string; handle: RunCompanionHandle}>,
  outcome: CompanionOutcome,
  warn: (message: string) => void,
): Promise<void> => {
  if (handles.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(
      handles.map(({name, handle}) =>
        handle.ended(outcome).catch((e: unknown) => warn(`companion ${name}: ${messageOf(e)}`)),
      ),
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        warn(`companions still busy ${COMPANION_END_MS / 1000} s after the run ended; leaving them`);
        resolve();
      }, COMPANION_END_MS);
    }),
  ]);
  clearTimeout(timer);
};
