import {describe, expect, it} from 'vitest';
// @ts-expect-error: the build's own JavaScript module, without types
import {splitPlan} from '../../../core/build/chunks.mjs';

interface Plan {
  shared: Set<string>;
  targets: Set<string>;
  chunks: Array<{name: string; entry: string; chunked: boolean}>;
}

// A metafile's `inputs` as esbuild writes them: each file with the files it imports.
const metafile = (graph: Record<string, Array<string>>) => ({
  inputs: Object.fromEntries(
    Object.entries(graph).map(([file, imports]) => [file, {format: 'esm', imports: imports.map((path) => ({path}))}]),
  ),
});

describe('the split of the CLI bundle into per-plugin chunks', () => {
  const plan = splitPlan(
    metafile({
      'core/builtins.ts': ['plugins/a/index.ts', 'plugins/b/index.ts'],
      'core/index.ts': ['core/store.ts'],
      'core/store.ts': [],
      'plugins/a/index.ts': ['core/index.ts', 'plugins/a/private.ts', 'plugins/b/api.ts'],
      'plugins/a/private.ts': ['core/index.ts'],
      'plugins/b/index.ts': ['core/index.ts', 'plugins/b/api.ts', 'plugins/b/private.ts'],
      'plugins/b/api.ts': ['plugins/b/model.ts', 'node:fs'],
      'plugins/b/model.ts': [],
      'plugins/b/private.ts': [],
    }),
    ['./plugins/a', './plugins/b'],
  ) as Plan;

  it('shares what crosses an owner (core, another plugin’s api) and all it imports; keeps private files out', () => {
    expect([...plan.shared].sort()).toEqual([
      'core/index.ts',
      'core/store.ts',
      'plugins/b/api.ts',
      'plugins/b/model.ts',
    ]);
  });

  it('offers the chunks exactly the shared modules their own files import', () => {
    expect([...plan.targets].sort()).toEqual(['core/index.ts', 'plugins/b/api.ts']);
  });

  it('makes a chunk of every listed plugin: the list of built-ins importing each entry is not sharing', () => {
    expect(plan.chunks).toEqual([
      expect.objectContaining({name: 'a', entry: 'plugins/a/index.ts', chunked: true}),
      expect.objectContaining({name: 'b', entry: 'plugins/b/index.ts', chunked: true}),
    ]);
  });

  it('keeps a plugin whose own code is light in the main bundle, and offers nothing for it', () => {
    const graph = {
      'plugins/a/index.ts': ['core/index.ts', 'plugins/a/private.ts'],
      'plugins/a/private.ts': [],
      'plugins/b/index.ts': ['core/store.ts'],
      'core/index.ts': [],
      'core/store.ts': [],
    };
    const weighed = {
      ...metafile(graph),
      outputs: {
        'dist/core.js': {
          inputs: {'plugins/a/index.ts': {bytesInOutput: 30_000}, 'plugins/b/index.ts': {bytesInOutput: 900}},
        },
      },
    };
    const light = splitPlan(weighed, ['./plugins/a', './plugins/b'], {minChunkBytes: 16_384}) as Plan;
    expect(light.chunks.map((c) => [c.name, c.chunked])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect([...light.targets]).toEqual(['core/index.ts']);
  });

  it('refuses a listed plugin the build never saw', () => {
    expect(() => splitPlan(metafile({'plugins/a/index.ts': []}), ['./plugins/gone'])).toThrow(
      /plugins\/gone\/index.ts/,
    );
  });
});
