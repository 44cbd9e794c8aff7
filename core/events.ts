import type * as t from 'typanion';

/**
 * The map of every event type to its event, augmented by each plugin with `declare module`:
 * `interface SporEventMap { 'repo-added': RepoAdded }`. The core itself declares none but
 * `reaction-failed` (core/coreEvents.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- plugins augment it
export interface SporEventMap {}

/** Who caused an event: `machine:<host>`, `person:<id>`, `agent:<id>`, `hook:<id>`. */
export type Actor = string;

/** The envelope every event is stored in; `data` is the plugin's payload. */
export type SporEvent<T extends string = string, V extends number = number, D = unknown> = Readonly<{
  id: string;
  seq: number;
  type: T;
  v: V;
  at: string;
  actor: Actor;
  data: D;
  causation?: string;
}>;

/** What a command returns to be appended: the store assigns seq, v, at, actor (and id if absent). */
export type EventDraft<E extends SporEvent = SporEvent> = Pick<E, 'type' | 'data'> & {id?: string; causation?: string};

/** A draft for any event type a plugin declared in SporEventMap. */
export type KnownDraft = {
  [K in keyof SporEventMap]: SporEventMap[K] extends SporEvent ? EventDraft<SporEventMap[K]> : never;
}[keyof SporEventMap];

/** How a plugin declares one event type. */
export interface EventDefinition<D = unknown> {
  /** The current schema version of `data`; the store stamps it on append. */
  v: number;
  /** Validates `data` of the current version (used when reading the log). */
  data: t.StrictValidator<unknown, D>;
  /** Upcasters from an older version to the next one: `{1: (v1Data) => v2Data}`. */
  upcast?: Record<number, (old: never) => unknown>;
  /** The event's key fields as extra `SPOR_*` variables for hook scripts. */
  hookEnv?: (data: D) => Record<string, string>;
  /** A one-line human summary, used by `spor log`. */
  summary?: (data: D) => string;
  /**
   * A flow waits on this event's hooks: the flow runs them itself (the hooks plugin's reaction
   * leaves them alone) and a hook's exit 2 vetoes the flow, its first stderr line the reason.
   */
  gating?: boolean;
}

export type EventDefinitions = Record<string, EventDefinition<never>>;

/** Types a plugin's event definitions against its union of events. */
export const defineEvents = <E extends SporEvent>(defs: {
  [K in E['type']]: EventDefinition<Extract<E, {type: K}>['data']>;
}): EventDefinitions => defs as unknown as EventDefinitions;
