import type {CommandClass} from 'clipanion';
import type {Container, Registrar} from './di.js';
import type {EventDefinitions, EventDraft, SporEvent} from './events.js';
import type {SporContext} from './context.js';

/**
 * The map of slice name to slice state, augmented by each plugin that owns a projection:
 * `interface SporStateMap { repos: ReposState }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SporStateMap {}

/**
 * A slice of state folded from the log. `apply` is pure (no I/O, clock or randomness) and returns
 * `state` unchanged for event types it does not know. State must be plain JSON (it is snapshotted).
 * Bump `version` when `apply` changes meaning: the slice is then rebuilt from the log.
 */
export interface Projection<S = unknown> {
  name: string;
  version: number;
  initial(): S;
  apply(state: S, event: SporEvent): S;
}

/** Any slice's projection, as a plugin lists it (the slice type is the plugin's business). */
export interface SomeProjection {
  name: string;
  version: number;
  initial(): unknown;
  apply(state: never, event: SporEvent): unknown;
}

/** What a reaction may do: append follow-up events (their `causation` is set for it). */
export interface ReactionContext {
  container: Container;
  append(drafts: Array<EventDraft>): Promise<Array<SporEvent>>;
  warn(message: string): void;
}

/**
 * Runs after events are durable, in plugin registration order, awaited one at a time. `on: '*'`
 * receives every event. A throwing reaction is reported and recorded (`reaction-failed`) and never
 * undoes its event.
 */
export interface Reaction {
  name?: string;
  on: string | Array<string>;
  run(event: SporEvent, ctx: ReactionContext): Promise<void> | void;
}

export type SettingType = 'string' | 'number' | 'boolean' | 'duration';

/** A configuration key a plugin declares; unknown keys are refused by `spor config`. */
export interface SettingDefinition {
  key: string;
  type: SettingType;
  default: string | number | boolean;
  description: string;
  /** May a repository's committed `.spor.json` set it? Never for keys naming a command to run. */
  repoSafe?: boolean;
}

/** A plugin's definition: everything spor does comes from one of these. */
export interface SporPlugin {
  name: string;
  version: string;
  /** Clipanion command classes extending SporCommand (`Command` in the plugin API). */
  commands?: Array<CommandClass<SporContext>>;
  events?: EventDefinitions;
  projections?: Array<SomeProjection>;
  reactions?: Array<Reaction>;
  settings?: Array<SettingDefinition>;
  /** Registers this plugin's services, each behind a token the plugin exports from tokens.ts. */
  services?: (r: Registrar) => void;
}

/** Identity helper that types a plugin definition. */
export const definePlugin = <P extends SporPlugin>(plugin: P): P => plugin;

/** Where a loaded plugin came from. */
export type PluginSource = 'builtin' | 'path' | 'npm';

/** One plugin as the host saw it at start-up. */
export interface LoadedPlugin {
  name: string;
  version: string;
  source: PluginSource;
  location: string;
  plugin?: SporPlugin;
  /** Why it was not loaded (threw, wrong shape, clash); absent when it loaded. */
  error?: string;
}
