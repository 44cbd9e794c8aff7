import {UsageError, closest} from '../../core/index.js';

/** The four capability axes, in the order they are shown. */
export const AXES = ['harnesses', 'reachable_mcp', 'skills', 'plugins'] as const;
export type Axis = (typeof AXES)[number];

export const isAxis = (word: string): word is Axis => (AXES as ReadonlyArray<string>).includes(word);

/** The axis named `word`, or a usage error listing the four (and pointing `deny` at its command). */
export const parseAxis = (word: string): Axis => {
  if (isAxis(word)) return word;
  const guess = closest(word, AXES);
  const hint =
    word === 'deny'
      ? 'the deny list has its own commands: `spor capabilities deny <profile-id>` / `undeny <profile-id>`'
      : `the axes are ${AXES.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`;
  throw new UsageError(`unknown capability axis '${word}'`, {code: 'E_CAPABILITY_AXIS', hint});
};

// Harness, MCP server, skill and plugin names as tools spell them: `claude-code`, `linear`,
// `superpowers:brainstorming` (a plugin's skill), `name@marketplace`, `@scope/pkg`.
const VALUE = /^[A-Za-z0-9@][A-Za-z0-9._:@/+-]{0,127}$/;

export const isCapabilityValue = (value: string): boolean => VALUE.test(value);

/** Checks every value an edit names; one bad value refuses the whole edit before anything is written. */
export const checkValues = (axis: Axis | 'deny', values: ReadonlyArray<string>): Array<string> => {
  for (const v of values) {
    if (!isCapabilityValue(v)) {
      throw new UsageError(`invalid ${axis === 'deny' ? 'profile id' : `${axis} value`} '${v}'`, {
        code: 'E_CAPABILITY_VALUE',
        hint: 'use letters, digits and . _ : @ / + - (no spaces), starting with a letter, digit or @',
      });
    }
  }
  return values.slice();
};

/** Sorted, de-duplicated: declared sets compare equal whatever order they were typed in. */
export const normalized = (values: Iterable<string>): Array<string> =>
  [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  const x = normalized(a);
  const y = normalized(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
