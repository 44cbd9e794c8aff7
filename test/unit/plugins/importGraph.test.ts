import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const PLUGINS = fileURLToPath(new URL('../../../plugins', import.meta.url));

const sources = (dir: string): Array<string> =>
  readdirSync(dir, {withFileTypes: true}).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

// Every import and re-export, type-only ones included: a cycle of types is a cycle of meaning.
const SPECIFIER = /\b(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g;

/** Plugin → the other plugins its files import (each only through its api.ts, as ESLint holds them). */
const pluginGraph = (): Map<string, Set<string>> => {
  const graph = new Map<string, Set<string>>();
  for (const plugin of readdirSync(PLUGINS, {withFileTypes: true}).filter((d) => d.isDirectory())) {
    const uses = new Set<string>();
    for (const file of sources(join(PLUGINS, plugin.name))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        const target = relative(PLUGINS, resolve(file, '..', spec as string));
        const owner = target.split(sep)[0] as string;
        if (!target.startsWith('..') && owner !== plugin.name) uses.add(owner);
      }
    }
    graph.set(plugin.name, uses);
  }
  return graph;
};

/** The first cycle found, as a path that returns to its start; undefined when there is none. */
const cycleIn = (graph: ReadonlyMap<string, ReadonlySet<string>>): Array<string> | undefined => {
  const done = new Set<string>();
  const walk = (node: string, path: Array<string>): Array<string> | undefined => {
    const at = path.indexOf(node);
    if (at !== -1) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const found = walk(next, [...path, node]);
      if (found) return found;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = walk(node, []);
    if (found) return found;
  }
  return undefined;
};

describe('the plugin import graph', () => {
  it('has no cycle: a plugin never depends, even for a type, on one that depends on it', () => {
    const graph = pluginGraph();
    expect(graph.get('dispatch')).toContain('runs');
    expect(cycleIn(graph)).toBeUndefined();
  });

  it('the cycle finder finds one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set<string>()],
    ]);
    expect(cycleIn(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(cycleIn(new Map([['a', new Set(['b'])]]))).toBeUndefined();
  });
});
