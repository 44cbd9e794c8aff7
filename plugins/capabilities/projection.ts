import type {SporEvent, Projection} from '../../core/index.js';
import {AXES, type Axis} from './axes.js';
import type {CapabilitiesEvent, ProbeResult} from './events.js';

/** The probe cache: the latest `probe-ran`. */
export interface ProbeCache {
  at: string;
  event: string;
  results: Array<ProbeResult>;
}

/** This machine's capabilities as recorded: declarations per axis, the deny list, the probe cache. */
export interface CapabilitiesState {
  declared: Record<Axis, Array<string>>;
  deny: Array<string>;
  probe: ProbeCache | null;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    capabilities: CapabilitiesState;
  }
}

const noDeclarations = (): Record<Axis, Array<string>> =>
  Object.fromEntries(AXES.map((a) => [a, []])) as unknown as Record<Axis, Array<string>>;

export const capabilitiesProjection: Projection<CapabilitiesState> = {
  name: 'capabilities',
  version: 1,
  on: ['capabilities-declared', 'profile-denied', 'profile-undenied', 'capabilities-cleared', 'probe-ran'],
  initial: () => ({declared: noDeclarations(), deny: [], probe: null}),
  apply: (state, event: SporEvent) => {
    const e = event as CapabilitiesEvent;
    switch (e.type) {
      case 'capabilities-declared':
        return {...state, declared: {...state.declared, [e.data.axis]: [...e.data.values]}};
      case 'profile-denied':
        return state.deny.includes(e.data.profile) ? state : {...state, deny: [...state.deny, e.data.profile].sort()};
      case 'profile-undenied':
        return {...state, deny: state.deny.filter((p) => p !== e.data.profile)};
      case 'capabilities-cleared':
        return {...state, declared: noDeclarations(), probe: null};
      case 'probe-ran':
        return {...state, probe: {at: e.at, event: e.id, results: e.data.results}};
      default:
        return state;
    }
  },
};
