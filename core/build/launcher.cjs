#!/usr/bin/env node
'use strict';
// spor's executable. It runs the bundle (cli.js) through V8's code cache: compiling the bundle
// from scratch costs a fresh process about as much as everything else spor does for
// `spor repos list` (see bench/startup.mjs). The heavy dependencies only some commands use
// (dist/vendor/*.js: execa, lowdb, yaml) get a cache of their own when first loaded, so a command
// that needs execa does not pay ~25 ms to compile it, and one that does not never reads it.
// Each built-in's own code (dist/plugins/<name>.js, core/build/chunks.mjs) is read, with a cache
// of its own, when a command first uses the plugin.
// Caches live in the user's own cache directory, are keyed by Node version and file identity,
// and V8 rejects them on any mismatch. SPOR_NO_COMPILE_CACHE=1 turns them off.
// The bundle's cache is kept per built-in command group (`cli-repos`, `cli-next`, ...): a cache
// holds the functions the run that wrote it compiled, so one group's cache would leave another's
// code to be compiled on every run, and deserializing it would pay for code the group never runs.
// Node 22 and later cache compiled modules themselves (module.enableCompileCache): there the
// bundle and its vendors are simply required, and none of the machinery below runs.
const fs = require('node:fs');
const path = require('node:path');

// The bundle runs as a vm script, which cannot import() on its own without an experimental
// flag; a real module file can, so user plugins are imported through this.
globalThis.__sporImport = (specifier) => import(specifier);

const cacheDir =
  process.env.SPOR_NO_COMPILE_CACHE !== '1' && process.env.HOME
    ? path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'), 'spor')
    : undefined;

// spor's output is written synchronously and its commands await all they start, so once one is
// done the process can end at once: left to itself, Node waits for V8's background work (the
// concurrent collection of a large heap, ~20-30 ms after reading a 10,000-node graph) first.
const exitNow = (code, flush) => {
  flush();
  process.exit(code);
};

if (cacheDir && Number(process.versions.node.split('.')[0]) >= 22) {
  const nodeModule = require('node:module');
  if (typeof nodeModule.enableCompileCache === 'function') {
    nodeModule.enableCompileCache(path.join(cacheDir, 'node'));
    const flush = () => nodeModule.flushCompileCache?.();
    globalThis.__sporVendor = (name) => require(path.join(__dirname, 'vendor', `${name}.js`));
    globalThis.__sporChunk = (name) => require(path.join(__dirname, 'plugins', `${name}.js`));
    globalThis.__sporExit = (code) => exitNow(code, flush);
    require(path.join(__dirname, 'cli.js'));
    return;
  }
}
const vm = require('node:vm');

/** Caches to write once the command is done: [kind, file, script]. */
const unwritten = [];

/** Runs a CommonJS file through a code cache named `kind`; returns its exports. */
const runCached = (kind, file) => {
  const source = fs.readFileSync(file, 'utf8');
  let cacheFile;
  let cachedData;
  if (cacheDir) {
    const stat = fs.statSync(file);
    cacheFile = path.join(cacheDir, `${kind}-${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}.bin`);
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // CommonJS's own wrapper; every file run here sits in this directory, so this file's require
  // resolves for it as its own would (node:module, for Module.wrap and createRequire, is not free).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: file,
    cachedData,
  });
  const mod = {exports: {}};
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  if (cacheFile && (!cachedData || script.cachedDataRejected)) unwritten.push([kind, cacheFile, script]);
  return mod.exports;
};

const vendors = new Map();
/** What the bundle's vendor stubs call instead of require('./vendor/<name>.js'). */
globalThis.__sporVendor = (name) => {
  if (!vendors.has(name)) vendors.set(name, runCached(`vendor-${name}`, path.join(__dirname, 'vendor', `${name}.js`)));
  return vendors.get(name);
};

// The build fills in the first words of the built-in commands' paths.
const GROUPS = new Set(/* command groups */ []);
const group = process.argv.slice(2).find((a) => !a.startsWith('-'));
const kind = GROUPS.has(group) ? `cli-${group}` : 'cli';

// A built-in's own code (dist/plugins/<name>.js), evaluated when the command first uses the
// plugin; its cache is kept per command group too, for the same reason as the bundle's.
const chunks = new Map();
globalThis.__sporChunk = (name) => {
  if (!chunks.has(name)) chunks.set(name, runCached(`${kind}+${name}`, path.join(__dirname, 'plugins', `${name}.js`)));
  return chunks.get(name);
};

runCached(kind, path.join(__dirname, 'cli.js'));

// `<kind>-v<node version>-…`: an older build's or Node's cache of the same kind, and not
// another kind's whose name starts the same (`cli-v…` is not `cli-version-v…`).
const isCacheOf = (kind, file) => file.startsWith(`${kind}-v`) && /^\d/.test(file.slice(kind.length + 2));

// After the run, so the functions this command compiled lazily are in the cache too; but only
// after a short one. In a long run (the first command rebuilding a big log) V8 flushes the
// bytecode of functions it ran early, and a cache written then lacks them: every later start-up
// paid ~50% more (bench/history.mjs). A later, short command writes the cache instead.
const writeCaches = () => {
  if (unwritten.length === 0 || process.uptime() > 1) return;
  try {
    fs.mkdirSync(cacheDir, {recursive: true, mode: 0o700});
    const existing = fs.readdirSync(cacheDir);
    for (const [kind, cacheFile, script] of unwritten.splice(0)) {
      const name = path.basename(cacheFile);
      for (const old of existing)
        if (old !== name && isCacheOf(kind, old)) fs.rmSync(path.join(cacheDir, old), {force: true});
      fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData(), {mode: 0o600});
      fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    }
  } catch {
    /* a cache we cannot write only costs speed */
  }
};
process.once('beforeExit', writeCaches);

globalThis.__sporExit = (code) => exitNow(code, writeCaches);
