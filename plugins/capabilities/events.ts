import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';
import type {ProbeFinding} from './prober.js';
import {AXES, type Axis} from './axes.js';

/** One prober's outcome in a probe run. `finding` when ok, `error` when it threw or timed out. */
export interface ProbeResult {
  prober: string;
  ok: boolean;
  finding?: ProbeFinding;
  error?: string;
  duration_ms: number;
}

/** The declared values of one axis were replaced by `values` (sorted, de-duplicated). */
export type CapabilitiesDeclared = SporEvent<'capabilities-declared', 1, {axis: Axis; values: Array<string>}>;
/** This machine opts out of a profile. */
export type ProfileDenied = SporEvent<'profile-denied', 1, {profile: string}>;
export type ProfileUndenied = SporEvent<'profile-undenied', 1, {profile: string}>;
/** Every declaration and the probe cache were reset (the deny list is kept). */
export type CapabilitiesCleared = SporEvent<'capabilities-cleared', 1, Record<string, never>>;
/** Every registered prober ran once; the latest of these is the probe cache. */
export type ProbeRan = SporEvent<'probe-ran', 1, {results: Array<ProbeResult>}>;
export type CapabilitiesEvent = CapabilitiesDeclared | ProfileDenied | ProfileUndenied | CapabilitiesCleared | ProbeRan;

declare module '../../core/events.js' {
  interface SporEventMap {
    'capabilities-declared': CapabilitiesDeclared;
    'profile-denied': ProfileDenied;
    'profile-undenied': ProfileUndenied;
    'capabilities-cleared': CapabilitiesCleared;
    'probe-ran': ProbeRan;
  }
}

const isStrings = t.isArray(t.isString());
export const isFinding = t.isObject({
  harnesses: t.isOptional(isStrings),
  reachable_mcp: t.isOptional(isStrings),
  skills: t.isOptional(isStrings),
  plugins: t.isOptional(isStrings),
  facts: t.isOptional(t.isRecord(t.isRecord(t.isString()))),
});

const list = (values: ReadonlyArray<string>): string => (values.length === 0 ? '(none)' : values.join(', '));

const probeSummary = (results: ReadonlyArray<ProbeResult>): string => {
  const failed = results.filter((r) => !r.ok).map((r) => r.prober);
  const found = AXES.flatMap((axis) => results.flatMap((r) => r.finding?.[axis] ?? []));
  return `${results.length} probers${failed.length > 0 ? `, failed: ${failed.join(', ')}` : ''}; found ${list([...new Set(found)])}`;
};

export const capabilitiesEvents = defineEvents<CapabilitiesEvent>({
  'capabilities-declared': {
    v: 1,
    data: t.isObject({axis: t.isEnum(AXES), values: isStrings}),
    hookEnv: (d) => ({SPOR_CAPABILITY_AXIS: d.axis}),
    summary: (d) => `${d.axis} = ${list(d.values)}`,
  },
  'profile-denied': {
    v: 1,
    data: t.isObject({profile: t.isString()}),
    hookEnv: (d) => ({SPOR_PROFILE_ID: d.profile}),
    summary: (d) => d.profile,
  },
  'profile-undenied': {
    v: 1,
    data: t.isObject({profile: t.isString()}),
    hookEnv: (d) => ({SPOR_PROFILE_ID: d.profile}),
    summary: (d) => d.profile,
  },
  'capabilities-cleared': {v: 1, data: t.isObject({}), summary: () => 'declarations and probe cache reset'},
  'probe-ran': {
    v: 1,
    data: t.isObject({
      results: t.isArray(
        t.isObject({
          prober: t.isString(),
          ok: t.isBoolean(),
          finding: t.isOptional(isFinding),
          error: t.isOptional(t.isString()),
          duration_ms: t.isNumber(),
        }),
      ),
    }),
    summary: (d) => probeSummary(d.results),
  },
});
