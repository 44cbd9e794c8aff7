import type {Contribution} from './plugin.js';
import type {PluginRegistry} from './pluginRegistry.js';

/** A JSON value. */
export type Json = string | number | boolean | null | Array<Json> | {[key: string]: Json};

/**
 * What a contributed item says about itself as plain data: its own fields that are JSON (names,
 * flags, descriptions), without its functions. A built-in's manifest carries it, so a reader that
 * needs only this (dispatch's harness flags) does not evaluate the contributing plugin.
 */
export type ContributionData = {name: string} & {[key: string]: Json};

const jsonOf = (v: unknown): Json | undefined => {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) return v.map((x) => jsonOf(x) ?? null);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: {[key: string]: Json} = {};
    for (const [k, x] of Object.entries(v as object)) {
      const j = jsonOf(x);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
};

/** The plain data of an item (its JSON fields; functions and class instances left out). */
export const dataOf = (item: Contribution): ContributionData => ({
  ...(jsonOf({...item}) as {[key: string]: Json}),
  name: item.name,
});

/** One item in the registry: who contributed it, its data, and the item (evaluating a lazy built-in). */
export interface Contributed<T extends Contribution = Contribution> {
  plugin: string;
  data: ContributionData;
  readonly item: T;
}

/**
 * A typed handle on an extension point, exported from the owning plugin's api.ts
 * (`export const HARNESSES = point<HarnessAdapter>('harnesses')`): contributors list items under
 * `contributes: {harnesses: [...]}`, and readers ask the registry through the handle.
 */
export interface Point<T extends Contribution> {
  readonly name: string;
  /** Every item, in load order, with its contributor (`item` evaluates a lazy built-in when read). */
  entries(registry: PluginRegistry): Array<Contributed<T>>;
  /** Every item, in load order (evaluates the contributing built-ins). */
  items(registry: PluginRegistry): Array<T>;
  /** The item called `name` (evaluating only its contributor), or undefined. */
  get(registry: PluginRegistry, name: string): T | undefined;
}

export const point = <T extends Contribution>(name: string): Point<T> => ({
  name,
  entries: (registry) => registry.contributed(name) as Array<Contributed<T>>,
  items: (registry) => registry.contributed(name).map((c) => c.item as T),
  get: (registry, item) => registry.contributions.get(name)?.get(item)?.item as T | undefined,
});
