// Builds dist/: the bundle of spor (cli.js, CommonJS), its launcher (spor.js, the `spor` binary),
// core.js (the store and boot API for benchmarks and multi-process tests), and vendor/*.js, the
// heavy dependencies only some commands use (execa, lowdb, yaml), loaded on first use.
// CommonJS on purpose: Node 20's ESM loader reads every module through fs/promises and builds
// facades that initialise fs streams, which costs a fresh `spor repos list` more than all of spor's
// own work (see bench/startup.mjs). The build goes to a temporary directory that replaces dist/ in
// one rename, so a test run reading dist/ never sees half of a build.
import {copyFileSync, chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

const here = (file) => new URL(file, import.meta.url).pathname;

/** Dependencies imported with `await import()` that stay out of the main bundle. */
const VENDOR = {execa: 'execa', lowdb: 'lowdb', 'lowdb/node': 'lowdb-node', yaml: 'yaml'};

// clipanion's platform module requires tty at load time; ours defers it (see the file).
const clipanionPlatform = {
  name: 'clipanion-platform',
  setup(b) {
    b.onResolve({filter: /(^|\/)platform(\/node(\.js)?)?$/}, (args) =>
      (args.importer.includes('clipanion') ? {path: here('./clipanionPlatform.cjs')} : undefined));
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
      const pattern = /Cli\.defaultContext = \{\s*env: process\.env,\s*stdin: process\.stdin,\s*stdout: process\.stdout,\s*stderr: process\.stderr,\s*colorDepth: [^,]+,\s*\};/;
      if (!pattern.test(source)) throw new Error(`clipanion's Cli.defaultContext changed shape in ${args.path}; update core/build/build.mjs`);
      return {contents: source.replace(pattern, 'Cli.defaultContext = {env: process.env, stdin: undefined, stdout: undefined, stderr: undefined, colorDepth: 1};'), loader: 'js'};
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
      (args.kind === 'dynamic-import' ? {path: args.path, namespace: 'vendor-stub'} : undefined));
    b.onLoad({filter: /.*/, namespace: 'vendor-stub'}, (args) =>
      ({contents: `module.exports = globalThis.__sporVendor ? globalThis.__sporVendor('${VENDOR[args.path]}') : require('./vendor/${VENDOR[args.path]}.js');`, loader: 'js'}));
    b.onResolve({filter: /^\.\/vendor\//}, (args) => (args.namespace === 'vendor-stub' ? {path: args.path, external: true} : undefined));
  },
};

const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: process.env.SPOR_BUILD_DEBUG !== '1',
  legalComments: 'none', logLevel: 'warning',
  define: {'import.meta.url': '__sporImportMetaUrl'},
  inject: [here('./importMetaUrl.cjs')],
};

const tag = `${process.pid}-${Date.now()}`;
const tmp = `dist.${tag}.tmp`;
await build({
  ...common,
  entryPoints: {cli: 'core/main.ts', core: 'core/index.ts'}, outdir: tmp,
  plugins: [clipanionPlatform, clipanionContext, vendorExternal],
});
await Promise.all(Object.entries(VENDOR).map(([pkg, out]) => build({
  ...common,
  stdin: {contents: `export * from '${pkg}';`, resolveDir: process.cwd(), loader: 'js'},
  outfile: `${tmp}/vendor/${out}.js`,
})));
writeFileSync(`${tmp}/package.json`, '{"type": "commonjs"}\n');
copyFileSync(here('./launcher.cjs'), `${tmp}/spor.js`);
chmodSync(`${tmp}/spor.js`, 0o755);
const old = `dist.${tag}.old`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, {recursive: true, force: true});
