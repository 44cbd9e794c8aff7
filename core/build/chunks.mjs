// Splits the CLI into chunks: cli.js holds core and every module more than one plugin reaches
// (the "shared" modules: core/index.ts's closure, the plugins' api.ts closures, clipanion, ...);
// dist/plugins/<name>.js holds the rest of one built-in, evaluated when a command first uses the
// plugin. A command reads and deserializes only what it may run: with every built-in in one
// file, `spor repos list` paid for the team server's, dispatch's and the graph's code too (about
// 2 ms of a 44 ms start-up, bench/README.md).
// Why this is safe: a plugin reaches core only through core/index.ts and other plugins only
// through their api.ts (eslint's no-restricted-imports), so every module two chunks could both
// import is shared, and is evaluated once, in cli.js: one DI token, one class, one clipanion per
// process. A chunk binds a shared module's exports through a stub that asks cli.js for them
// (`globalThis.__sporShared(<path>)`, answered by the table sharedTable() writes).
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {relative, resolve} from 'node:path';
import {build} from 'esbuild';

const OWNER = /^plugins\/([^/]+)\//;
/** The plugin a bundled file belongs to, or undefined for core and dependencies. */
const ownerOf = (file) => OWNER.exec(file)?.[1];
const isFile = (file) => !file.includes(':');
// The built-ins' list imports every plugin's entry: that is what chunks replace, not sharing.
const BUILTINS_LIST = 'core/builtins.ts';

/**
 * From the metafile of a bundle that imports every built-in (dist/core.js): the shared modules,
 * the built-ins that get a chunk (`chunked`), and the shared modules their own files import
 * (`targets`: what the table must offer). A module is shared when a file of another owner
 * imports it, or a shared one does. A built-in whose own code weighs less than `minChunkBytes`
 * (minified) stays in cli.js: a chunk costs a command that uses it two more files read and one
 * more script compiled, about what 40 KB more of cli.js costs every command (bench/README.md).
 */
export const splitPlan = (metafile, locations, {minChunkBytes = 0} = {}) => {
  const inputs = metafile.inputs;
  // Only modules the bundle holds: not node's own, not externals, not esbuild's runtime helpers.
  const importsOf = (file) =>
    (inputs[file]?.imports ?? []).map((i) => i.path).filter((path) => isFile(path) && path in inputs);
  const shared = new Set();
  const share = (file) => {
    if (shared.has(file)) return;
    shared.add(file);
    for (const next of importsOf(file)) share(next);
  };
  const files = Object.keys(inputs).filter((file) => isFile(file) && file !== BUILTINS_LIST);
  for (const file of files) for (const target of importsOf(file)) if (ownerOf(target) !== ownerOf(file)) share(target);
  const own = (file) => (shared.has(file) ? undefined : ownerOf(file));
  const weight = new Map();
  for (const out of Object.values(metafile.outputs ?? {}))
    for (const [file, {bytesInOutput}] of Object.entries(out.inputs))
      if (own(file) !== undefined) weight.set(own(file), (weight.get(own(file)) ?? 0) + bytesInOutput);
  const chunks = locations.map((location) => {
    const name = location.replace(/^\.\/plugins\//, '');
    const entry = `plugins/${name}/index.ts`;
    if (!inputs[entry]) throw new Error(`the build saw no ${entry} (spor.plugins.json lists ${location})`);
    return {location, name, entry, chunked: !shared.has(entry) && (weight.get(name) ?? 0) >= minChunkBytes};
  });
  const chunked = new Set(chunks.filter((c) => c.chunked).map((c) => c.name));
  const targets = new Set();
  for (const file of files)
    if (chunked.has(own(file))) for (const target of importsOf(file)) if (shared.has(target)) targets.add(target);
  return {shared, targets, chunks, isCommonJs: (file) => inputs[file]?.format === 'cjs'};
};

/**
 * The names each target exports, in a fixed order: cli.js hands a chunk their values as an
 * array, and the chunk's stub binds them once. Handing over the module object instead made
 * esbuild copy every export into a new object, with a getter per name, for each file importing
 * it: more than the split saved. Shared modules export no `let` that changes later (they export
 * no `let` at all: checked here), so binding once loses nothing.
 */
export const exportNames = async (plan, root, options, plugins) => {
  const esm = [...plan.targets].filter((f) => !plan.isCommonJs(f));
  const result = await build({
    ...options,
    entryPoints: esm,
    format: 'esm',
    splitting: true,
    write: false,
    metafile: true,
    outdir: resolve(root, 'dist.exports.tmp'),
    plugins,
  });
  const names = new Map();
  for (const out of Object.values(result.metafile.outputs)) if (out.entryPoint) names.set(out.entryPoint, out.exports);
  for (const file of esm) if (!names.has(file)) throw new Error(`the build found no exports for ${file}`);
  for (const file of plan.shared)
    if (!plan.isCommonJs(file) && /^export let /m.test(readFileSync(resolve(root, file), 'utf8')))
      throw new Error(`${file} exports a let: chunks bind a shared module's exports once (core/build/chunks.mjs)`);
  // A CommonJS dependency (clipanion, typanion) is handed over whole as `default`, then by name.
  const require = createRequire(import.meta.url);
  for (const file of plan.targets)
    if (plan.isCommonJs(file))
      names.set(file, ['default', ...Object.keys(require(resolve(root, file))).filter((k) => k !== '__esModule')]);
  return names;
};

const VALUES = 'spor-shared-values';

/** cli.js's table: for each target, a lazy evaluation of it that returns its exports' values. */
export const sharedTable = (plan) =>
  `const table = {${[...plan.targets]
    .sort()
    .map((file) => `${JSON.stringify(file)}: () => require(${JSON.stringify(`${VALUES}:${file}`)}).values()`)
    .join(',\n')}};
const asked = new Map();
globalThis.__sporShared = (file) => {
  if (!asked.has(file)) asked.set(file, table[file]());
  return asked.get(file);
};
`;

/** esbuild plugin for cli.js: the modules the table requires, one per target. */
export const sharedValues = (plan, names, root) => ({
  name: VALUES,
  setup(b) {
    b.onResolve({filter: new RegExp(`^${VALUES}:`)}, (args) => ({
      path: args.path.slice(VALUES.length + 1),
      namespace: VALUES,
    }));
    b.onLoad({filter: /.*/, namespace: VALUES}, (args) => {
      const file = resolve(root, args.path);
      const exported = names.get(args.path) ?? [];
      const contents = plan.isCommonJs(args.path)
        ? `const m = require(${JSON.stringify(file)});
export const values = () => [m, ${exported
            .slice(1)
            .map((n) => `m[${JSON.stringify(n)}]`)
            .join(', ')}];`
        : `import {${exported.map((n, i) => `${JSON.stringify(n)} as v${i}`).join(', ')}} from ${JSON.stringify(file)};
export const values = () => [${exported.map((_, i) => `v${i}`).join(', ')}];`;
      return {contents, loader: 'js', resolveDir: root};
    });
  },
});

/** A chunk's stand-in for a shared module: its exports, bound once from cli.js's values. */
const stubOf = (file, exported) =>
  `const [${exported.map((_, i) => `v${i}`).join(', ')}] = globalThis.__sporShared(${JSON.stringify(file)});
export {${exported.map((n, i) => `v${i} as ${JSON.stringify(n)}`).join(', ')}};`;

/** esbuild plugin for a chunk: an import that resolves to a shared module gets its stub. */
const sharedStubs = (plan, names, root) => ({
  name: 'spor-shared-stubs',
  setup(b) {
    b.onResolve({filter: /.*/}, async (args) => {
      if (args.pluginData?.sporInner || args.kind === 'entry-point' || args.namespace === 'spor-shared')
        return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: {sporInner: true},
      });
      // Anything else resolves again the usual way: a path handed back from here would lose
      // the tsconfig (decorators) esbuild applies to the files it resolves itself.
      const file = r.errors.length === 0 && r.namespace === 'file' && !r.external ? relative(root, r.path) : undefined;
      return file !== undefined && plan.shared.has(file) ? {path: file, namespace: 'spor-shared'} : undefined;
    });
    b.onLoad({filter: /.*/, namespace: 'spor-shared'}, (args) => {
      const exported = names.get(args.path);
      if (!exported) throw new Error(`${args.path} is shared, but the chunks were not seen importing it`);
      return {contents: stubOf(args.path, exported), loader: 'js'};
    });
  },
});

/** Builds dist/plugins/<name>.js for every chunked built-in. */
export const buildChunks = ({plan, names, root, outdir, options, plugins}) =>
  Promise.all(
    plan.chunks
      .filter((c) => c.chunked)
      .map((c) =>
        build({
          ...options,
          entryPoints: {[c.name]: c.entry},
          outdir: `${outdir}/plugins`,
          plugins: [sharedStubs(plan, names, root), ...plugins],
        }),
      ),
  );
