import {AXES, normalized, type Axis} from './axes.js';
import type {CapabilitiesState, ProbeCache} from './projection.js';

/**
 * What this machine can run: per axis, what the latest probe found ∪ what was declared; and the
 * profiles it opts out of. `spor capabilities --json` prints exactly this.
 */
export interface Capabilities {
  harnesses: Array<string>;
  reachable_mcp: Array<string>;
  skills: Array<string>;
  plugins: Array<string>;
  deny: Array<string>;
}

/** One item of an axis and where it came from. */
export interface CapabilityItem {
  value: string;
  declared: boolean;
  /** The probers that found it, with what each said about it (path, version, …). */
  probes: Array<{prober: string; facts?: Record<string, string>}>;
}

/** The effective map with its sources, for `spor capabilities` to explain. */
export interface EffectiveView {
  capabilities: Capabilities;
  items: Record<Axis, Array<CapabilityItem>>;
  probe: ProbeCache | null;
}

/** Folds declarations and the probe cache into the effective map. Pure. */
export const effectiveView = (state: CapabilitiesState): EffectiveView => {
  const items = {} as Record<Axis, Array<CapabilityItem>>;
  const capabilities = {} as Capabilities;
  for (const axis of AXES) {
    const byValue = new Map<string, CapabilityItem>();
    const item = (value: string): CapabilityItem => {
      let it = byValue.get(value);
      if (!it) {
        it = {value, declared: false, probes: []};
        byValue.set(value, it);
      }
      return it;
    };
    for (const value of state.declared[axis] ?? []) item(value).declared = true;
    // A prober that failed found nothing; what it found in an earlier run is not carried over.
    for (const r of state.probe?.results ?? []) {
      if (!r.ok) continue;
      for (const value of r.finding?.[axis] ?? []) {
        const facts = r.finding?.facts?.[value];
        item(value).probes.push(facts ? {prober: r.prober, facts} : {prober: r.prober});
      }
    }
    const values = normalized(byValue.keys());
    capabilities[axis] = values;
    items[axis] = values.map((v) => byValue.get(v) as CapabilityItem);
  }
  capabilities.deny = normalized(state.deny);
  return {capabilities, items, probe: state.probe};
};

/** Just the map. */
export const effectiveCapabilities = (state: CapabilitiesState): Capabilities => effectiveView(state).capabilities;
