// Builds dist/: the bundle of spor (cli.js, CommonJS), its launcher (spor.js, the `spor` binary),
// and core.js (the store and boot API for benchmarks and multi-process tests).
// CommonJS on purpose: Node 20's ESM loader reads every module through fs/promises and builds
// facades that initialise fs streams, which costs a fresh `spor repos list` more than all of spor's
// own work (see bench/startup.mjs). The build goes to a temporary directory that replaces dist/ in
// one rename, so a test run reading dist/ never sees half of a build.
import {copyFileSync, chmodSync, existsSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {build} from 'esbuild';

const here = (file) => new URL(file, import.meta.url).pathname;

// clipanion's platform module requires tty at load time; ours defers it (see the file).
const clipanionPlatform = {
  name: 'clipanion-platform',
  setup(b) {
    b.onResolve({filter: /(^|\/)platform(\/node(\.js)?)?$/}, (args) =>
      (args.importer.includes('clipanion') ? {path: here('./clipanionPlatform.cjs')} : undefined));
  },
};

const tag = `${process.pid}-${Date.now()}`;
const tmp = `dist.${tag}.tmp`;
await build({
  entryPoints: {cli: 'core/main.ts', core: 'core/index.ts'}, outdir: tmp, bundle: true,
  platform: 'node', format: 'cjs', target: 'node20', minify: process.env.SPOR_BUILD_DEBUG !== '1',
  legalComments: 'none', logLevel: 'warning',
  define: {'import.meta.url': '__sporImportMetaUrl'},
  inject: [here('./importMetaUrl.cjs')],
  plugins: [clipanionPlatform],
});
writeFileSync(`${tmp}/package.json`, '{"type": "commonjs"}\n');
copyFileSync(here('./launcher.cjs'), `${tmp}/spor.js`);
chmodSync(`${tmp}/spor.js`, 0o755);
const old = `dist.${tag}.old`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, {recursive: true, force: true});
