import type {ProbeFinding} from './prober.js';
import {AXES, isCapabilityValue, normalized} from './axes.js';
import {isFinding} from './events.js';

/**
 * A prober's finding made safe to record: axes sorted and de-duplicated, facts only for items it
 * found. A finding of the wrong shape (a user plugin's, say) is an error naming what is wrong.
 */
export const cleanFinding = (raw: unknown): {finding: ProbeFinding} | {error: string} => {
  const errors: Array<string> = [];
  if (raw === undefined || raw === null) return {finding: {}};
  if (!isFinding(raw, {errors})) return {error: `returned an invalid finding (${errors[0] ?? 'not an object'})`};
  const finding: ProbeFinding = {};
  const found = new Set<string>();
  for (const axis of AXES) {
    const values = raw[axis];
    if (values === undefined) continue;
    const bad = values.find((v) => !isCapabilityValue(v));
    if (bad !== undefined) return {error: `returned an invalid ${axis} value ${JSON.stringify(bad)}`};
    finding[axis] = normalized(values);
    for (const v of values) found.add(v);
  }
  const facts = Object.entries(raw.facts ?? {}).filter(([item]) => found.has(item));
  if (facts.length > 0) finding.facts = Object.fromEntries(facts);
  return {finding};
};
