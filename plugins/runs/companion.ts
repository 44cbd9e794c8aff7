import type {RunState} from './api.js';

/** How a run ended, as its companions are told (after `run-ended` is durable). */
export interface CompanionOutcome {
  state: RunState;
  class: string;
  reason: string;
}

/** What a companion starts with. */
export interface RunCompanionContext {
  runId: string;
  /** What the launcher handed it over the supervisor's pipe (it may hold a secret: never a file). */
  data: unknown;
  /** A line for the run's supervisor.log (a companion's trouble never ends the run). */
  warn(message: string): void;
}

/** A started companion: told when the harness names its session, and when the run ends. */
export interface RunCompanionHandle {
  /** The harness's session id, the first time its output names one. */
  session?(id: string): Promise<void>;
  /** The run ended; stop whatever runs. Awaited (bounded) before the supervisor exits. */
  ended(outcome: CompanionOutcome): Promise<void>;
}

/**
 * An item of the runs plugin's `runCompanions` point: work the supervisor does beside a run while
 * it lives (the remote plugin keeps the team server's lease on the node). The launcher names the
 * companions a run gets, with their data, in the `go` line; the supervisor starts them once the
 * harness started.
 */
export interface RunCompanion {
  name: string;
  start(ctx: RunCompanionContext): RunCompanionHandle;
}

/** What the launcher sends for one companion. */
export interface CompanionRequest {
  name: string;
  data: unknown;
}

export const companionProblem = (x: Record<string, unknown>): string | undefined =>
  typeof x.start === 'function' ? undefined : 'is not a run companion {name, start(ctx)}';
