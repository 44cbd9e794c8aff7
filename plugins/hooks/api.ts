import {token, type EventDraft, type SporEvent, type HookOutcome, type HookVerdict} from '../../core/index.js';
import type {HookEntry} from './projection.js';

/** One hook run for one event. */
export interface HookRun {
  hook: HookEntry;
  outcome: HookOutcome;
  /** ok, veto (exit 2: binding only where a flow gates on it) or failed. */
  verdict: HookVerdict;
}

/** How the dispatcher records runs and reports trouble; a reaction passes its own context. */
export interface HookRunSink {
  /** Appends the `hook-ran` record of a run; causation must be the triggering event. */
  append(drafts: Array<EventDraft>): Promise<unknown>;
  /** One line for stderr (a hook that failed, timed out or was skipped for depth). */
  warn(message: string): void;
}

/**
 * Runs this machine's hook scripts for an event. The `hooks` plugin's reaction calls it for every
 * event; a later flow that gates on an event (its hooks must finish, and may veto with exit 2)
 * can call it itself and read each run's verdict.
 */
export interface HookDispatcher {
  /**
   * Runs the hooks subscribed to `event` one at a time, in the order they were added, appending one
   * `hook-ran` per run through `sink` as each finishes. Nothing runs past hooks.maxDepth nesting.
   * Never throws for anything a hook does; resolves once every hook has finished or been stopped.
   */
  run(event: SporEvent, sink: HookRunSink): Promise<Array<HookRun>>;
}

/** Provided by the `hooks` plugin. */
export const HOOK_DISPATCHER = token<HookDispatcher>('spor.hooks.HookDispatcher');
