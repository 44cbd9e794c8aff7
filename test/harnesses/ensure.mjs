#!/usr/bin/env node
// Makes the pinned real agent CLIs (package.json here) runnable from test/harnesses/node_modules/.bin,
// installing them from the lockfile when they are missing or at another version. Quick when they
// are already in place: it only asks each binary for its version.
//
// `node test/harnesses/ensure.mjs [--json]`. Exit 0 with both ready; otherwise a loud banner on
// stderr and exit 1 (the tier is skipped for the missing ones). With --json, stdout is one object:
// {binDir, installMs?, harnesses: {claude: {ok, bin, version} | {ok: false, reason}, codex: ...}}.
//
// Install scripts are never run by npm (`--ignore-scripts`): the one this tier needs, Claude Code's
// postinstall, only hard-links the platform's native binary over the `bin/claude.exe` placeholder,
// and it is run here explicitly, so the result does not depend on npm's install-script policy.
import {execFile} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const binDir = join(here, 'node_modules', '.bin');
const lockPath = join(here, 'node_modules.lock');
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies;

/** What each harness answers to `--version` when it is the pinned one. */
const HARNESSES = {
  claude: {pkg: '@anthropic-ai/claude-code', versionLine: (v) => `${v} (Claude Code)`},
  codex: {pkg: '@openai/codex', versionLine: (v) => `codex-cli ${v}`},
};

const run = (file, args, opts = {}) =>
  new Promise((resolve) => {
    execFile(file, args, {encoding: 'utf8', timeout: 30_000, ...opts}, (error, stdout, stderr) =>
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, error}));
  });

// codex's entry point is a Node script (`#!/usr/bin/env node`): the node running this must be on PATH.
const childEnv = () => ({...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`});

const probe = async (name) => {
  const {pkg, versionLine} = HARNESSES[name];
  const bin = join(binDir, name);
  if (!existsSync(bin)) return {ok: false, reason: `${bin} is missing`};
  const r = await run(bin, ['--version'], {env: childEnv()});
  const got = r.stdout.trim();
  if (got !== versionLine(pinned[pkg])) {
    return {ok: false, reason: `${name} --version said ${JSON.stringify(got || r.stderr.trim().split('\n')[0] || `exit ${r.code}`)}, want ${JSON.stringify(versionLine(pinned[pkg]))}`};
  }
  return {ok: true, bin, version: pinned[pkg]};
};

const probeAll = async () => {
  const [claude, codex] = await Promise.all([probe('claude'), probe('codex')]);
  return {claude, codex};
};

const alive = (pid) => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};

/** One installer per checkout at a time; a lock left by a dead process is taken over. */
const withLock = async (fn) => {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder, age;
      try {
        holder = Number(readFileSync(lockPath, 'utf8')) || 0;
        age = Date.now() - statSync(lockPath).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // pid 0: a holder between creating the file and writing its pid, or one that died there
      const stale = holder > 0 ? !alive(holder) : age > 5_000;
      if (stale) { rmSync(lockPath, {force: true}); continue; }
      if (Date.now() > deadline) throw new Error(`another install holds ${lockPath} (pid ${holder})`, {cause: e});
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try { return await fn(); } finally { rmSync(lockPath, {force: true}); }
};

const install = async () => {
  // retries kept (a registry can blip), their back-off bounded: npm's default waits ~70 s offline
  const npmArgs = ['ci', '--prefix', here, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=5000'];
  // npm's own output goes to our stderr: stdout is kept for the --json answer.
  const npm = await run('npm', npmArgs, {env: childEnv(), timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024});
  process.stderr.write(npm.stdout + npm.stderr);
  if (npm.code !== 0) return `npm ${npmArgs.join(' ')} failed (exit ${npm.code})`;
  const postinstall = join(here, 'node_modules', HARNESSES.claude.pkg, 'install.cjs');
  const placed = await run(process.execPath, [postinstall], {env: childEnv()});
  process.stderr.write(placed.stdout + placed.stderr);
  if (placed.code !== 0) return `placing Claude Code's native binary (node ${postinstall}) failed (exit ${placed.code})`;
  return undefined;
};

const banner = (lines) => {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n\n`);
};

export const ensureHarnesses = async () => {
  let harnesses = await probeAll();
  let installMs;
  let installError;
  if (!harnesses.claude.ok || !harnesses.codex.ok) {
    await withLock(async () => {
      harnesses = await probeAll(); // another process may have installed them meanwhile
      if (harnesses.claude.ok && harnesses.codex.ok) return;
      process.stderr.write(`harness tier: installing ${Object.entries(pinned).map(([p, v]) => `${p}@${v}`).join(', ')} into ${here} (~660 MB)\n`);
      const started = Date.now();
      installError = await install();
      installMs = Date.now() - started;
      harnesses = await probeAll();
    });
  }
  const missing = Object.entries(harnesses).filter(([, h]) => !h.ok);
  if (missing.length > 0) {
    banner([
      `REAL-HARNESS TIER: ${missing.map(([n]) => n).join(' and ')} UNAVAILABLE, ITS TESTS WILL BE SKIPPED`,
      ...(installError ? [installError] : []),
      ...missing.map(([n, h]) => `${n}: ${h.reason}`),
      `fix: let npm reach its registry, then run node test/harnesses/ensure.mjs; SPOR_HARNESS_REQUIRE=1 makes this an error`,
    ]);
  } else if (installMs !== undefined) {
    process.stderr.write(`harness tier: installed in ${(installMs / 1000).toFixed(1)} s\n`);
  }
  return {binDir, installMs, harnesses};
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await ensureHarnesses();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [name, h] of Object.entries(result.harnesses)) if (h.ok) process.stdout.write(`${name} ${h.version}: ${h.bin}\n`);
  process.exitCode = Object.values(result.harnesses).every((h) => h.ok) ? 0 : 1;
}
