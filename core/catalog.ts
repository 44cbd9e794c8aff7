import type {EventDefinition, EventDefinitions, SporEvent} from './events.js';

/** What is known of a type before its definition is needed (a lazy built-in's manifest says it). */
export interface DeclaredEvent {
  v: number;
  gating?: boolean;
}

interface Entry extends DeclaredEvent {
  plugin: string;
  def?: EventDefinition<unknown>;
  /** Loads the owning plugin and returns its definitions (a built-in not evaluated yet). */
  load?: () => EventDefinitions;
}

/**
 * Every event type the loaded plugins declared, with its owner. The store stamps versions from it;
 * readers upcast and validate through it. Types with no loaded owner pass through untouched.
 */
export class EventCatalog {
  private readonly entries = new Map<string, Entry>();

  add(plugin: string, defs: EventDefinitions): void {
    for (const [type, d] of Object.entries(defs)) {
      const def = d as unknown as EventDefinition<unknown>;
      this.entries.set(type, {plugin, v: def.v, gating: def.gating, def});
    }
  }

  /**
   * Registers types whose definitions are fetched from `load` the first time a validator, upcaster,
   * hook environment or summary is needed; versions and gating are known at once.
   */
  declare(plugin: string, declared: Record<string, DeclaredEvent>, load: () => EventDefinitions): void {
    for (const [type, d] of Object.entries(declared)) this.entries.set(type, {plugin, v: d.v, gating: d.gating, load});
  }

  owner(type: string): string | undefined {
    return this.entries.get(type)?.plugin;
  }
  versionOf(type: string): number | undefined {
    return this.entries.get(type)?.v;
  }
  types(): Array<string> {
    return [...this.entries.keys()].sort();
  }
  /** True when a flow runs this type's hooks itself and honours a veto (see EventDefinition.gating). */
  isGating(type: string): boolean {
    return this.entries.get(type)?.gating === true;
  }

  private defOf(type: string): EventDefinition<unknown> | undefined {
    const entry = this.entries.get(type);
    if (entry && !entry.def && entry.load) {
      const def = entry.load()[type] as unknown as EventDefinition<unknown> | undefined;
      if (!def)
        throw new Error(`plugin '${entry.plugin}' no longer defines the event type '${type}' its manifest lists`);
      entry.def = def;
    }
    return entry?.def;
  }

  /** Brings an event's data to the current version, one step at a time. */
  upcast(event: SporEvent): SporEvent {
    const known = this.entries.get(event.type);
    if (!known || event.v >= known.v) return event;
    const def = this.defOf(event.type) as EventDefinition<unknown>;
    let data: unknown = event.data;
    for (let v = event.v; v < def.v; v += 1) {
      const step = def.upcast?.[v];
      if (!step) return event;
      data = (step as (old: unknown) => unknown)(data);
    }
    return {...event, v: def.v, data};
  }

  /** True when the (upcast) event's data passes its type's validator, or its type is unknown. */
  isValid(event: SporEvent): boolean {
    const known = this.entries.get(event.type);
    if (!known || event.v !== known.v) return true;
    return (this.defOf(event.type) as EventDefinition<unknown>).data(event.data);
  }

  hookEnv(event: SporEvent): Record<string, string> {
    const def = this.defOf(event.type);
    return def?.hookEnv && this.isValid(event) ? def.hookEnv(event.data) : {};
  }

  summary(event: SporEvent): string | undefined {
    const def = this.defOf(event.type);
    return def?.summary && this.isValid(event) ? def.summary(event.data) : undefined;
  }
}
