import type {EventDefinition, EventDefinitions, SporEvent} from './events.js';

interface Entry { plugin: string; def: EventDefinition<unknown> }

/**
 * Every event type the loaded plugins declared, with its owner. The store stamps versions from it;
 * readers upcast and validate through it. Types with no loaded owner pass through untouched.
 */
export class EventCatalog {
  private readonly entries = new Map<string, Entry>();

  add(plugin: string, defs: EventDefinitions): void {
    for (const [type, def] of Object.entries(defs)) this.entries.set(type, {plugin, def: def as unknown as EventDefinition<unknown>});
  }

  owner(type: string): string | undefined { return this.entries.get(type)?.plugin; }
  versionOf(type: string): number | undefined { return this.entries.get(type)?.def.v; }
  types(): Array<string> { return [...this.entries.keys()].sort(); }
  /** True when a flow runs this type's hooks itself and honours a veto (see EventDefinition.gating). */
  isGating(type: string): boolean { return this.entries.get(type)?.def.gating === true; }

  /** Brings an event's data to the current version, one step at a time. */
  upcast(event: SporEvent): SporEvent {
    const def = this.entries.get(event.type)?.def;
    if (!def || event.v >= def.v) return event;
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
    const def = this.entries.get(event.type)?.def;
    return !def || event.v !== def.v || def.data(event.data);
  }

  hookEnv(event: SporEvent): Record<string, string> {
    const def = this.entries.get(event.type)?.def;
    return def?.hookEnv && this.isValid(event) ? def.hookEnv(event.data) : {};
  }

  summary(event: SporEvent): string | undefined {
    const def = this.entries.get(event.type)?.def;
    return def?.summary && this.isValid(event) ? def.summary(event.data) : undefined;
  }
}
