#!/usr/bin/env node
'use strict';
// spor's executable. It runs the bundle (cli.js) through V8's code cache: compiling the bundle
// from scratch costs a fresh process about as much as everything else spor does for
// `spor repos list` (see bench/startup.mjs). The cache lives in the user's own cache directory,
// is keyed by Node version and bundle identity, and V8 rejects it on any mismatch.
// SPOR_NO_COMPILE_CACHE=1 turns it off.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// The bundle runs as a vm script, which cannot import() on its own without an experimental
// flag; a real module file can, so user plugins are imported through this.
globalThis.__sporImport = (specifier) => import(specifier);

const file = path.join(__dirname, 'cli.js');
const source = fs.readFileSync(file, 'utf8');
let cacheFile;
let cachedData;
if (process.env.SPOR_NO_COMPILE_CACHE !== '1' && process.env.HOME) {
  const stat = fs.statSync(file);
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'), 'spor');
  cacheFile = path.join(dir, `v8-${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}.bin`);
  try { cachedData = fs.readFileSync(cacheFile); } catch { cachedData = undefined; }
}
const script = new vm.Script(Module.wrap(source), {filename: file, cachedData});
const mod = {exports: {}};
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);

if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  // After the run, so the functions this command compiled lazily are in the cache too; but only
  // after a short one. In a long run (the first command rebuilding a big log) V8 flushes the
  // bytecode of functions it ran early, and a cache written then lacks them: every later start-up
  // paid ~50% more (bench/history.mjs). A later, short command writes the cache instead.
  process.once('beforeExit', () => {
    if (process.uptime() > 1) return;
    try {
      const dir = path.dirname(cacheFile);
      fs.mkdirSync(dir, {recursive: true, mode: 0o700});
      for (const old of fs.readdirSync(dir)) if (old.startsWith('v8-') && old !== path.basename(cacheFile)) fs.rmSync(path.join(dir, old), {force: true});
      fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData(), {mode: 0o600});
      fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    } catch { /* a cache we cannot write only costs speed */ }
  });
}
