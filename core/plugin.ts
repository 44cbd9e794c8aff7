import type {CommandClass} from 'clipanion';
import type {Container, Registrar} from './di.js';
import type {EventDefinitions, EventDraft, SporEvent} from './events.js';
import type {SporContext} from './context.js';

/**
 * The map of slice name to slice state, augmented by each plugin that owns a projection:
 * `interface SporStateMap { repos: ReposState }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- plugins augment it
export interface SporStateMap {}

/**
 * A reference to one record of the log, as the projector hands it to a fold: opaque outside the
 * store. A slice may keep it (it is plain numbers, so it can be snapshotted) and later hand it back
 * to `EventStore.records()` for the event. One made by `seqRef` knows only the seq (a fold run
 * outside the projector); the store then looks the record up by seq.
 */
export interface RecordRef {
  readonly seq: number;
  readonly start: number;
  readonly length: number;
}

/** A reference that knows only the record's seq. */
export const seqRef = (seq: number): RecordRef => ({seq, start: -1, length: 0});

/**
 * How a slice is stored when plain JSON of its state is not the best form: a large slice that
 * every call reads, of which most calls need a little. `encode` gives a JSON head and named text
 * parts; `decode` gets the head at once and each part's bytes when it asks (it may keep `part` and
 * ask later, while the state lives). `decode` throws on a stored form it cannot use: the slice is
 * then rebuilt from the log. `decode(encode(s))` must fold on exactly as `s` would.
 */
export interface SliceCodec<S> {
  encode(state: S): {head: unknown; parts?: Record<string, string>};
  decode(head: unknown, part: (name: string) => Buffer | undefined): S;
}

/**
 * A slice of state folded from the log. `apply` is deterministic (no I/O, clock or randomness:
 * whatever it needs is in the event) and returns `state` unchanged for event types it does not
 * know. It may update `state` in place and return it: the projector owns the slice, and large
 * slices would otherwise be copied per event. State must be plain JSON (it is snapshotted),
 * unless the projection brings a `codec`.
 * Bump `version` when `apply` changes meaning: the slice is then rebuilt from the log.
 */
export interface Projection<S = unknown> {
  name: string;
  version: number;
  /**
   * The event types `apply` reads. When given, the projector passes it only these, and events of
   * other types are neither validated nor, for a built-in not yet evaluated, the cause of loading
   * their owner; omitted, `apply` sees every event.
   */
  on?: ReadonlyArray<string>;
  /**
   * Write a new snapshot once this many of the events `apply` reads were folded past the last one
   * (default: SNAPSHOT_AFTER events of any type). A slice that is costly to fold and read on
   * every call may ask for 1.
   */
  snapshotAfter?: number;
  codec?: SliceCodec<S>;
  initial(): S;
  /**
   * `ref` names the event's record in the log, for a slice that keeps pointers back into it (the
   * graph fetches node text through `EventStore.records()`); folds outside the projector (tests)
   * may leave it out.
   */
  apply(state: S, event: SporEvent, ref?: RecordRef): S;
}

/** Any slice's projection, as a plugin lists it (the slice type is the plugin's business). */
export interface SomeProjection {
  name: string;
  version: number;
  on?: ReadonlyArray<string>;
  snapshotAfter?: number;
  codec?: {encode(state: never): ReturnType<SliceCodec<unknown>['encode']>; decode: SliceCodec<unknown>['decode']};
  initial(): unknown;
  apply(state: never, event: SporEvent, ref?: RecordRef): unknown;
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
  /**
   * Old names of the key, still read in every layer (`SPOR_*`, `.spor.json`, this machine) after
   * the key itself: a key that moved to the plugin owning it keeps its users' values.
   */
  aliases?: Array<string>;
}

/** One item a plugin contributes to an extension point: named, and unique by name within the point. */
export interface Contribution {
  name: string;
}

/**
 * An extension point a plugin owns (`harnesses`, owned by `runs`): other plugins add items to it
 * under `contributes`, and the owner, which also owns the items' type, reads them through the
 * registry (`point<T>(name)` in core/contributions.ts gives it a typed handle).
 */
export interface PointDefinition {
  /** What the items are, for `spor plugins list`. */
  description: string;
  /**
   * What is wrong with a contributed item, or undefined when it has the shape the owner needs. Run
   * when a plugin is vetted (before it loads), so a malformed item fails its plugin, not a later read.
   */
  check?(item: Record<string, unknown>): string | undefined;
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
  /** The extension points this plugin owns, by name. */
  points?: Record<string, PointDefinition>;
  /**
   * What this plugin adds to extension points, by point: `{harnesses: [adapter], probers: [prober]}`.
   * Clash-checked by (point, name) like commands; a point no loaded plugin owns is kept but unread.
   */
  contributes?: Record<string, ReadonlyArray<Contribution>>;
  /** What user plugins may use of this plugin (`spor.plugin('<name>')` in the plugin API). */
  exports?: Record<string, unknown>;
  /** Registers this plugin's services, each behind a token the plugin exports from its api.ts. */
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
