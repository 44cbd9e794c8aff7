import type {Readable} from 'node:stream';
import type {SporEvent} from './events.js';

/** One hook as the runner needs it: an absolute executable, its fixed arguments and a time limit. */
export interface HookSpec {
  /** The hook's id (`h3`); handed to the hook as SPOR_HOOK_NAME. */
  id: string;
  /** Absolute path of the executable, run directly (never through a shell). */
  path: string;
  args: ReadonlyArray<string>;
  timeoutMs: number;
}

/** Where and how deep a hook runs. */
export interface HookRunContext {
  /** SPOR_HOME: the hook's working directory and its SPOR_HOME. */
  sporHome: string;
  /** The environment spor itself was started with; only the allowlisted names pass. */
  env: NodeJS.ProcessEnv;
  /** The nesting depth of the spor process running the hook (0 when not started by a hook). */
  depth: number;
  /** The triggering event's key fields (EventCatalog.hookEnv); only `SPOR_*` names pass. */
  eventEnv: Record<string, string>;
}

/** What became of one run. Exactly one of exit, signal or error explains how it ended. */
export interface HookOutcome {
  /** The exit code, or null when the hook was killed or never started. */
  exit: number | null;
  /** The signal that ended it (SIGTERM/SIGKILL after a timeout), or null. */
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** The last TAIL_BYTES of what it printed. */
  stdoutTail: string;
  stderrTail: string;
  /** Why it could not be started (missing or not executable), when it could not. */
  error?: string;
}

/** How much of each output stream is kept (and recorded in `hook-ran`). */
export const TAIL_BYTES = 2048;
/** Grace after SIGTERM before SIGKILL, for a hook that outlives its timeout. */
export const FORCE_KILL_AFTER_MS = 2000;
// A hook that exits while something it started still holds its stdout or stderr (a background
// job) would otherwise keep spor waiting for that job; after this grace spor stops listening.
const STREAM_GRACE_MS = 300;

/** Environment names a hook inherits from spor, when spor has them. Nothing else ever passes. */
export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ'] as const;
/** Names spor sets for every hook; an event's own key fields cannot override them. */
export const HOOK_ENV_NAMES = [
  'SPOR_HOME',
  'SPOR_EVENT',
  'SPOR_EVENT_ID',
  'SPOR_EVENT_SEQ',
  'SPOR_EVENT_V',
  'SPOR_EVENT_AT',
  'SPOR_HOOK_NAME',
  'SPOR_HOOK_DEPTH',
] as const;
const EVENT_ENV_NAME = /^SPOR_[A-Z0-9_]+$/;

/** The nesting depth recorded in an environment (SPOR_HOOK_DEPTH), 0 when absent or unreadable. */
export const hookDepthOf = (env: NodeJS.ProcessEnv): number => {
  const n = Number.parseInt(env.SPOR_HOOK_DEPTH ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/**
 * The complete environment of a hook: the inherited allowlist, spor's own SPOR_* variables and the
 * event's key fields. Tokens and secrets in spor's environment never reach a hook, because nothing
 * outside this list does.
 */
export const hookEnvironment = (
  hook: Pick<HookSpec, 'id'>,
  event: SporEvent,
  ctx: HookRunContext,
): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = ctx.env[name];
    if (value !== undefined) env[name] = value;
  }
  const reserved = new Set<string>(HOOK_ENV_NAMES);
  for (const [name, value] of Object.entries(ctx.eventEnv)) {
    // A plugin's key fields are data, not configuration: no NODE_OPTIONS or LD_PRELOAD through here.
    if (EVENT_ENV_NAME.test(name) && !reserved.has(name) && typeof value === 'string' && !value.includes('\0'))
      env[name] = value;
  }
  return Object.assign(env, {
    SPOR_HOME: ctx.sporHome,
    SPOR_EVENT: event.type,
    SPOR_EVENT_ID: event.id,
    SPOR_EVENT_SEQ: String(event.seq),
    SPOR_EVENT_V: String(event.v),
    SPOR_EVENT_AT: event.at,
    SPOR_HOOK_NAME: hook.id,
    SPOR_HOOK_DEPTH: String(ctx.depth + 1),
  });
};

/** What a hook reads on stdin: the (upcast) envelope as one JSON object; `causation` is null when absent. */
export const hookEnvelope = (event: SporEvent): string =>
  `${JSON.stringify({id: event.id, seq: event.seq, type: event.type, v: event.v, at: event.at, actor: event.actor, data: event.data, causation: event.causation ?? null})}\n`;

/** Keeps only the last `limit` bytes written to it, however much that is. */
export class Tail {
  private chunks: Array<Buffer> = [];
  private size = 0;
  constructor(private readonly limit = TAIL_BYTES) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(buf);
    this.size += buf.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.limit)
      this.size -= this.chunks.shift()?.length ?? 0;
  }

  /** The kept bytes as text; a character cut in half at the start is dropped. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - this.limit);
    while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start += 1;
    return all.toString('utf8', start);
  }
}

/** How a hook's outcome reads to a flow that waits for it. */
export type HookVerdict =
  | {kind: 'ok'}
  /** Exit 2: a deliberate veto; the reason is the first line of stderr. Binding only on gating events. */
  | {kind: 'veto'; reason: string}
  | {kind: 'failed'; reason: string};

const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';

/** Reads an outcome the way docs/ARCHITECTURE.md "Hooks" defines it: 0 ok, 2 veto, anything else failed. */
export const verdictOf = (o: HookOutcome): HookVerdict => {
  if (o.error !== undefined) return {kind: 'failed', reason: `could not start: ${o.error}`};
  if (o.timedOut) return {kind: 'failed', reason: `timed out after ${o.durationMs}ms`};
  if (o.exit === 0) return {kind: 'ok'};
  if (o.exit === 2) return {kind: 'veto', reason: firstLine(o.stderrTail) || 'vetoed (exit 2, no reason given)'};
  if (o.exit !== null)
    return {kind: 'failed', reason: `exited ${o.exit}${firstLine(o.stderrTail) ? `: ${firstLine(o.stderrTail)}` : ''}`};
  return {kind: 'failed', reason: `killed by ${o.signal ?? 'a signal'}`};
};

const drain = (stream: Readable | null, tail: Tail): void => {
  stream?.on('data', (chunk: Buffer) => tail.push(chunk));
};

/**
 * Runs one hook to completion and reports how it went; never throws for anything the hook does.
 * The hook gets the event envelope on stdin, the allowlisted environment, SPOR_HOME as its working
 * directory, and is stopped at its timeout (SIGTERM, then SIGKILL after FORCE_KILL_AFTER_MS).
 * Output is not buffered whole: only the last TAIL_BYTES of each stream are kept.
 */
export const runHook = async (hook: HookSpec, event: SporEvent, ctx: HookRunContext): Promise<HookOutcome> => {
  // execa is loaded only when a hook actually runs: most commands never need it.
  const {execa} = await import('execa');
  const stdout = new Tail();
  const stderr = new Tail();
  const started = performance.now();
  const subprocess = execa(hook.path, [...hook.args], {
    shell: false,
    cwd: ctx.sporHome,
    input: hookEnvelope(event),
    env: hookEnvironment(hook, event, ctx),
    extendEnv: false,
    timeout: hook.timeoutMs,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    windowsHide: true,
  });
  drain(subprocess.stdout, stdout);
  drain(subprocess.stderr, stderr);
  let grace: NodeJS.Timeout | undefined;
  subprocess.once('exit', () => {
    grace = setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, STREAM_GRACE_MS);
  });
  const result = await subprocess;
  clearTimeout(grace);
  const durationMs = Math.round(performance.now() - started);
  const ran = result.exitCode !== undefined || result.signal !== undefined;
  return {
    exit: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut: result.timedOut,
    durationMs,
    stdoutTail: stdout.text(),
    stderrTail: stderr.text(),
    ...(ran ? {} : {error: (result.originalMessage || result.shortMessage || 'unknown error').split('\n')[0]}),
  };
};
