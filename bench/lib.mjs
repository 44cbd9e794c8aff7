// Shared measuring tools: medians, interleaved runs, temporary homes, and the built core.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, realpathSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SPOR_BIN = join(ROOT, 'dist', 'spor.js');

/** The built library entry (dist/core.js, CommonJS), as the benchmarks measure what users run. */
export const loadCore = () => createRequire(import.meta.url)(join(ROOT, 'dist', 'core.js'));

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const tempDir = (prefix) => realpathSync(mkdtempSync(join(tmpdir(), prefix)));

/**
 * Runs each measurement `rounds` times, interleaved so they share the machine's noise: the order
 * alternates every round (ABAB… then BABA…) so neither side always runs first. Returns the
 * samples (ms) per name.
 */
export const interleave = async (rounds, measures) => {
  const names = Object.keys(measures);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i += 1) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const n of order) samples[n].push(await measures[n]());
  }
  return samples;
};

/** Wall time (ms) of one child process run to completion; throws if it fails. */
export const timeProcess = (args, env) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {env, stdio: ['ignore', 'ignore', 'pipe']});
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
};

/** The environment a spor child gets in the benchmarks: nothing inherited but PATH. */
export const sporEnv = (home) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  XDG_CACHE_HOME: join(home, '.cache'),
  SPOR_HOME: join(home, '.spor'),
  LANG: 'C.UTF-8',
  TZ: 'UTC',
});

/** One result row: the median of the measured side, its baseline, their ratio and the target. */
export const row = (name, measured, baseline, target, unit = 'x') => ({
  name,
  measured_ms: round(measured),
  baseline_ms: baseline === undefined ? null : round(baseline),
  ratio: baseline === undefined ? null : round(measured / baseline, 3),
  target,
  unit,
  // A row without a target is a figure written down, not a goal.
  pass: target === null || (unit === 'x' ? measured / baseline <= target : measured < target),
});

export const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * When the module at `moduleUrl` is the script node was started with (`node bench/<suite>.mjs`),
 * runs its suite alone and prints its rows; the exit code is 1 when a target was missed.
 */
export const runAlone = async (moduleUrl, suite) => {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  const rows = await suite();
  const fmt = (x) => (x === null ? '' : x.toFixed(x < 10 ? 3 : 1));
  for (const r of rows) {
    process.stdout.write(
      `${r.name}\n  median ${fmt(r.measured_ms)} ms${r.baseline_ms === null ? '' : `, baseline ${fmt(r.baseline_ms)} ms, ratio ${r.ratio.toFixed(2)}x`}` +
        `  (target ${r.unit === 'x' ? `<= ${r.target}x` : `< ${r.target} ms`}) ${r.pass ? 'ok' : 'MISSED'}\n`,
    );
  }
  process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
};
