// The `harnesses` extension point's item type: a launch adapter for one agent CLI. Owned by the
// runs plugin (the supervisor runs and reads harnesses); dispatch asks an adapter for the argv.

/**
 * How a run ended, as dispatch and `spor runs` classify it: `completed`; `permission-denied` (the
 * harness refused some of the agent's tool calls, e.g. its edits); `environment` (credit, usage or
 * rate limits: worth re-dispatching later); `auth` (the harness's credentials were rejected);
 * `model-unreachable`; `timeout` (past `runs.timeout`); `stalled` (no output for
 * `runs.stallTimeout`); `supervisor-gone` (the supervisor died; the reconciler ended the run);
 * `launch`; `failed`; `unknown`.
 */
export type RunClass =
  | 'completed'
  | 'permission-denied'
  | 'environment'
  | 'auth'
  | 'model-unreachable'
  | 'timeout'
  | 'stalled'
  | 'supervisor-gone'
  | 'launch'
  | 'failed'
  | 'unknown';

/** Every run class, for the event's schema. */
export const RUN_CLASSES: ReadonlyArray<RunClass> = [
  'completed',
  'permission-denied',
  'environment',
  'auth',
  'model-unreachable',
  'timeout',
  'stalled',
  'supervisor-gone',
  'launch',
  'failed',
  'unknown',
];

/** A flag a harness passes through from `spor dispatch` (given as `--<name> <value>`). */
export interface HarnessFlag {
  /** The long name without dashes (`permission-mode`). */
  name: string;
  /** One line for `spor dispatch --help`. */
  description: string;
}

/**
 * What a dispatched agent may do, in spor's words; each adapter maps it to its CLI's own switches.
 * `read-only`: read and answer, change nothing. `edit` (the default): edit files inside its checkout
 * or worktree, no other commands. `full`: edit and run commands, no approval asked.
 */
export const POSTURES = ['read-only', 'edit', 'full'] as const;
export type Posture = (typeof POSTURES)[number];

/** What a dispatch asks a harness to run. The prompt is not here: it always goes on stdin. */
export interface HarnessLaunchRequest {
  /** The harness binary as resolved on this machine (a setting may point elsewhere). */
  binary: string;
  /** The directory the agent works in (the worktree, when there is one). */
  cwd: string;
  model?: string;
  /** The pass-through flags the user gave, by name (`{'permission-mode': 'plan'}`); only this adapter's. */
  flags: Record<string, string>;
  /** A file in the run's private directory where the harness may write its final message. */
  reportFile: string;
  /** What the agent may do; a pass-through flag the user gave for the same switch wins over it. */
  posture: Posture;
  /** The run's name, for a harness that shows sessions by name. */
  name?: string;
  /** The user's extra arguments (`harness.<name>.args`), each one argv element, placed where the CLI takes options. */
  args: Array<string>;
}

/** What an adapter checks of a launch before anything starts: the child's argv and environment, and who runs it. */
export interface HarnessPreflight {
  argv: ReadonlyArray<string>;
  env: Readonly<Record<string, string>>;
  /** The uid spor runs as (undefined where there is none). */
  uid: number | undefined;
}

/** The exact child to start: argv[0] is the binary; `env` is added to the (already filtered) environment. */
export interface HarnessLaunch {
  argv: Array<string>;
  env?: Record<string, string>;
}

/** What one line of a harness's output stream told the supervisor. */
export interface HarnessSignal {
  /** The harness's own session id (for resuming), once seen. */
  sessionId?: string;
  /** The agent's final message (the run's report), when this line carries it. */
  report?: string;
  /** The harness reported an outcome itself (e.g. a result line with is_error). */
  outcome?: {class: RunClass; signal: string; reason: string};
  /**
   * The tool calls the harness refused so far in this run, one tool name per refusal (the
   * parser returns the whole list each time it grows: the supervisor keeps the last one).
   */
  denied?: Array<string>;
  /**
   * This line is the harness retrying a model it cannot reach (Claude's `api_retry`, codex's
   * `Reconnecting...`): not progress, so it does not hold off `runs.stallTimeout`, and a run that
   * stalls on such lines ends `model-unreachable`.
   */
  retrying?: boolean;
}

/** Reads one run's output line by line (stdout, and stderr where the harness reports there); one instance per run. */
export interface HarnessStreamParser {
  line(text: string, stream?: 'stdout' | 'stderr'): HarnessSignal | undefined;
}

/**
 * A launch adapter: how to start one agent CLI headless and read what it prints. Contributed by a
 * harness plugin (`contributes: {harnesses: [...]}`); dispatch picks one by `name` (the profile's harness).
 */
export interface HarnessAdapter {
  /** The harness name profiles and capabilities use (`claude-code`, `codex`). */
  name: string;
  /** The binary name on PATH, and the setting that may point it elsewhere. */
  binary: string;
  binarySetting: string;
  /** Its pass-through flags; `spor dispatch` offers each, and refuses one this adapter does not declare. */
  flags: Array<HarnessFlag>;
  /** argv and extra environment for one run; pure (no I/O). */
  launch(req: HarnessLaunchRequest): HarnessLaunch;
  /**
   * The arguments that make the binary print the help listing the flags `launch` uses (`['--help']`,
   * codex: `['exec', '--help']`): the capabilities probe records them, and dispatch refuses an argv
   * flag the installed version does not list.
   */
  helpArgs?: Array<string>;
  /**
   * The environment variables its vendor documents, passed to the harness on top of the basics:
   * exact names, or prefixes ending in `*` (`ANTHROPIC_*`). Everything else the user has stays out
   * unless named in `harness.<name>.env` or `dispatch.envPassthrough`.
   */
  envVars?: Array<string>;
  /** Why this launch would die at once (e.g. a mode the CLI refuses to run as root), or undefined. Pure. */
  preflight?(launch: HarnessPreflight): string | undefined;
  /** A fresh parser for one run's stdout. */
  parser(): HarnessStreamParser;
  /**
   * Why a run ended badly, read from its exit and the tail of its output (credit/usage/rate limits,
   * rejected auth → `environment`); undefined when the adapter cannot tell.
   */
  classify?(
    exit: {code: number | null; signal: string | null},
    tail: Array<string>,
  ): {class: RunClass; signal: string; reason: string} | undefined;
}

const isFlag = (f: unknown): boolean =>
  typeof f === 'object' &&
  f !== null &&
  typeof (f as HarnessFlag).name === 'string' &&
  /^[a-z][a-z0-9-]*$/.test((f as HarnessFlag).name) &&
  typeof (f as HarnessFlag).description === 'string';

/** The `harnesses` point's check: what the runs plugin needs of a contributed adapter. */
export const harnessProblem = (x: Record<string, unknown>): string | undefined =>
  typeof x.binary === 'string' &&
  typeof x.binarySetting === 'string' &&
  Array.isArray(x.flags) &&
  x.flags.every(isFlag) &&
  typeof x.launch === 'function' &&
  typeof x.parser === 'function'
    ? undefined
    : 'is not a harness {name, binary, binarySetting, flags: [{name, description}], launch, parser}';
