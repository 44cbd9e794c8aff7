// Builds dist/: the bundle of spor (cli.js, CommonJS), its launcher (spor.js, the `spor` binary),
// core.js (the store and boot API for benchmarks and multi-process tests), and vendor/*.js, the
// heavy dependencies only some commands use (execa, lowdb, yaml), loaded on first use.
// Two passes: core.js first, which boots every built-in eagerly to write down what each
// contributes (core/manifest.ts); then cli.js, whose built-ins are registered from those manifests
// and evaluated only when a command uses them (core/lazyPlugin.ts).
// CommonJS on purpose: Node 20's ESM loader reads every module through fs/promises and builds
// facades that initialise fs streams, which costs a fresh `spor repos list` more than all of spor's
// own work (see bench/startup.mjs). The build goes to a temporary directory that replaces dist/ in
// one rename, so a test run reading dist/ never sees half of a build.
import {execFileSync} from 'node:child_process';
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import {build} from 'esbuild';
import {buildChunks, exportNames, sharedTable, sharedValues, splitPlan} from './chunks.mjs';
import {foldShortcuts} from './clipanionSimplify.mjs';

const here = (file) => new URL(file, import.meta.url).pathname;

/** Dependencies imported with `await import()` that stay out of the main bundle. */
const VENDOR = {execa: 'execa', lowdb: 'lowdb', 'lowdb/node': 'lowdb-node', yaml: 'yaml'};

// clipanion's platform module requires tty at load time; ours defers it (see the file).
const clipanionPlatform = {
  name: 'clipanion-platform',
  setup(b) {
    b.onResolve({filter: /(^|\/)platform(\/node(\.js)?)?$/}, (args) =>
      args.importer.includes('clipanion') ? {path: here('./clipanionPlatform.cjs')} : undefined,
    );
  },
};

// clipanion evaluates process.stdin/stdout/stderr when it loads (Cli.defaultContext), which
// builds Node's stream machinery for every command; spor always passes its own streams, so the
// defaults are never used. Fails the build if clipanion changes shape.
const clipanionContext = {
  name: 'clipanion-context',
  setup(b) {
    b.onLoad({filter: /clipanion[/\\]lib[/\\]advanced[/\\]Cli\.m?js$/}, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const pattern =
        /Cli\.defaultContext = \{\s*env: process\.env,\s*stdin: process\.stdin,\s*stdout: process\.stdout,\s*stderr: process\.stderr,\s*colorDepth: [^,]+,\s*\};/;
      if (!pattern.test(source))
        throw new Error(`clipanion's Cli.defaultContext changed shape in ${args.path}; update core/build/build.mjs`);
      return {
        contents: source.replace(
          pattern,
          'Cli.defaultContext = {env: process.env, stdin: undefined, stdout: undefined, stderr: undefined, colorDepth: 1};',
        ),
        loader: 'js',
      };
    });
  },
};

// clipanion's simplifyMachine, replaced by the equivalent in clipanionSimplify.mjs (see there).
// Fails the build if clipanion's function is not the one that was measured and compared.
const clipanionSimplify = {
  name: 'clipanion-simplify',
  setup(b) {
    b.onLoad({filter: /clipanion[/\\]lib[/\\]core\.mjs$/}, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const start = source.indexOf('function simplifyMachine(input) {');
      const end = source.indexOf('\n}\n', start) + 3;
      const original = start === -1 ? '' : source.slice(start, end);
      if (!/store\.some\(/.test(original) || !/nodeDef\.dynamics\.some\(/.test(original))
        throw new Error(
          `clipanion's simplifyMachine changed shape in ${args.path}; update core/build/clipanionSimplify.mjs`,
        );
      const ours = `${foldShortcuts.toString()}\nfunction simplifyMachine(input) {\n  foldShortcuts(input, NODE_INITIAL);\n}\n`;
      return {contents: source.slice(0, start) + ours + source.slice(end), loader: 'js'};
    });
  },
};

// `await import('execa')` in spor's code becomes a require of dist/vendor/execa.js when first run.
const vendorExternal = {
  name: 'vendor-external',
  setup(b) {
    // The bundle runs as a vm script, where a real import() fails ("A dynamic import callback was
    // not specified"): the import resolves to a bundled stub whose require() stays external.
    b.onResolve({filter: /^(execa|lowdb|lowdb\/node|yaml)$/}, (args) =>
      args.kind === 'dynamic-import' ? {path: args.path, namespace: 'vendor-stub'} : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'vendor-stub'}, (args) => ({
      contents: `module.exports = globalThis.__sporVendor ? globalThis.__sporVendor('${VENDOR[args.path]}') : require('./vendor/${VENDOR[args.path]}.js');`,
      loader: 'js',
    }));
    b.onResolve({filter: /^\.\/vendor\//}, (args) =>
      args.namespace === 'vendor-stub' ? {path: args.path, external: true} : undefined,
    );
  },
};

// The team server's dependencies (`spor serve` only) stay in node_modules: bundled, they would
// triple the bundle every command reads. The dynamic import resolves to a stub whose require()
// is external, as for the vendor files above.
const SERVER_DEPS = /^(fastify|@fastify\/rate-limit|pg)$/;
const serverExternal = {
  name: 'server-external',
  setup(b) {
    b.onResolve({filter: SERVER_DEPS}, (args) =>
      args.kind === 'dynamic-import'
        ? {path: args.path, namespace: 'server-dep-stub'}
        : args.namespace === 'server-dep-stub'
          ? {path: args.path, external: true}
          : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'server-dep-stub'}, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// The dependencies' ES module builds: esbuild binds their exports directly and drops what spor
// never imports; their CommonJS builds (what `main` names) cost a copy of every export, with a
// getter each, in every module importing one (typanion's ~130 exports, 15 importers).
const ESM_BUILDS = {
  clipanion: here('../../node_modules/clipanion/lib/advanced/index.mjs'),
  typanion: here('../../node_modules/typanion/lib/index.mjs'),
};

const common = {
  bundle: true,
  mainFields: ['module', 'main'],
  alias: ESM_BUILDS,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: process.env.SPOR_BUILD_DEBUG !== '1',
  legalComments: 'none',
  logLevel: 'warning',
  define: {'import.meta.url': '__sporImportMeta.url'},
  inject: [here('./importMetaUrl.cjs')],
};

// The manifests of the built-ins, from an eager boot of the core.js just built (in a child, so
// the build's own process loads none of spor). A built-in that fails to load fails the build.
const describeBuiltins = (coreJs) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `
  const core = require(${JSON.stringify(coreJs)});
  const warnings = [];
  const stderr = {write: (s) => { warnings.push(String(s)); return true; }};
  core.boot({env: {HOME: '/nonexistent', SPOR_HOME: '/nonexistent/.spor'}, cwd: '/', stderr, builtins: core.builtinPlugins(), userPlugins: false})
    .then(({registry}) => {
      if (warnings.length > 0) throw new Error(warnings.join(''));
      process.stdout.write(JSON.stringify(core.describeRegistry(registry)));
    })
    .catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });
`,
      ],
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']},
    ),
  );

// core/main.ts's `./builtins.js`, in cli.js: each built-in with its manifest and a synchronous
// loader of its chunk (dist/plugins/<name>.js, see chunks.mjs), and the table of shared modules
// the chunks ask for.
const lazyBuiltins = (manifests, plan) => ({
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({filter: /^\.\/builtins\.js$/}, (args) =>
      args.importer.endsWith('core/main.ts') ? {path: 'builtins', namespace: 'spor-builtins'} : undefined,
    );
    b.onLoad({filter: /.*/, namespace: 'spor-builtins'}, () => {
      if (plan.chunks.length !== manifests.length)
        throw new Error(`spor.plugins.json lists ${plan.chunks.length} plugins but ${manifests.length} were described`);
      const entries = plan.chunks.map(
        (c, i) =>
          `{location: ${JSON.stringify(c.location)}, manifest: manifests[${i}], loadSync: () => ` +
          (c.chunked
            ? `globalThis.__sporChunk(${JSON.stringify(c.name)})}`
            : `require(${JSON.stringify(here(`../../${c.entry}`))})}`),
      );
      return {
        resolveDir: here('..'),
        loader: 'js',
        contents: `${sharedTable(plan)}
const manifests = ${JSON.stringify(manifests)};
export const builtinPlugins = () => [${entries.join(',\n')}].map((b) => ({...b, load: async () => b.loadSync()}));
`,
      };
    });
  },
});

const tag = `${process.pid}-${Date.now()}`;
const tmp = `dist.${tag}.tmp`;
const plugins = [clipanionPlatform, clipanionContext, clipanionSimplify, vendorExternal, serverExternal];
const [{metafile}] = await Promise.all([
  build({...common, entryPoints: {core: 'core/lib.ts'}, outdir: tmp, plugins, metafile: true}),
  ...Object.entries(VENDOR).map(([pkg, out]) =>
    build({
      ...common,
      stdin: {contents: `export * from '${pkg}';`, resolveDir: process.cwd(), loader: 'js'},
      outfile: `${tmp}/vendor/${out}.js`,
    }),
  ),
]);
writeFileSync(`${tmp}/package.json`, '{"type": "commonjs"}\n');
const manifests = describeBuiltins(`${process.cwd()}/${tmp}/core.js`);
const plan = splitPlan(metafile, JSON.parse(readFileSync(here('../../spor.plugins.json'), 'utf8')).plugins, {
  minChunkBytes: 16 * 1024,
});
const names = await exportNames(plan, process.cwd(), common, plugins);
await Promise.all([
  build({
    ...common,
    entryPoints: {cli: 'core/main.ts'},
    outdir: tmp,
    plugins: [lazyBuiltins(manifests, plan), sharedValues(plan, names, process.cwd()), ...plugins],
  }),
  buildChunks({plan, names, root: process.cwd(), outdir: tmp, options: common, plugins}),
]);
const groups = [
  ...new Set(
    manifests
      .flatMap((m) => m.commands.flat())
      .map((path) => path.split(' ')[0])
      .filter((w) => w !== ''),
  ),
].sort();
const launcher = readFileSync(here('./launcher.cjs'), 'utf8');
if (!launcher.includes('/* command groups */ []'))
  throw new Error('core/build/launcher.cjs lost its command groups placeholder');
writeFileSync(`${tmp}/spor.js`, launcher.replace('/* command groups */ []', JSON.stringify(groups)));
chmodSync(`${tmp}/spor.js`, 0o755);
// A file that comes out byte for byte as before keeps its old mtime: the launcher keys its code
// caches by size and mtime, so a rebuild that changed nothing (every `npm test` starts with one)
// leaves every cache valid instead of making the next processes compile the bundle again.
const keepMtimes = (dir) => {
  for (const entry of readdirSync(`${tmp}/${dir}`, {withFileTypes: true})) {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) keepMtimes(file);
    else if (existsSync(`dist/${file}`) && readFileSync(`dist/${file}`).equals(readFileSync(`${tmp}/${file}`))) {
      // In seconds, half-way into the old millisecond: a Date would round it to the millisecond
      // and could move the mtime into the next one, which the cache key (whole ms) would see.
      const mtime = (Math.floor(statSync(`dist/${file}`).mtimeMs) + 0.5) / 1000;
      utimesSync(`${tmp}/${file}`, mtime, mtime);
    }
  }
};
keepMtimes('.');
const old = `dist.${tag}.old`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, {recursive: true, force: true});
