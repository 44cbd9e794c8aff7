#!/usr/bin/env node
// spor's benchmarks: `npm run bench` (builds first). Each target is a ratio against a baseline
// measured in the same run, interleaved with it, so both sides share the machine's noise.
// `node bench/run.mjs startup history append` runs a subset. Results: bench/results/latest.json
// (git-ignored); the exit code is 1 when a target was missed.
import {mkdirSync, writeFileSync} from 'node:fs';
import {cpus, release} from 'node:os';
import {join} from 'node:path';
import {benchAppend} from './append.mjs';
import {benchDispatch} from './dispatch.mjs';
import {benchGraph} from './graph.mjs';
import {benchHistory} from './history.mjs';
import {benchServe} from './serve.mjs';
import {ROOT} from './lib.mjs';
import {benchRealHarness} from './realharness.mjs';
import {benchStartup} from './startup.mjs';

const suites = {
  startup: benchStartup,
  history: benchHistory,
  append: benchAppend,
  graph: benchGraph,
  dispatch: benchDispatch,
  serve: benchServe,
  realharness: benchRealHarness,
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown suite(s) ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}\n`,
  );
  process.exit(2);
}

const rows = [];
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await run()));
}

const fmt = (x) => (x === null ? '' : x.toFixed(x < 10 ? 3 : 1));
const table = [
  ['benchmark', 'median ms', 'baseline ms', 'ratio', 'target', ''],
  ...rows.map((r) => [
    r.name,
    fmt(r.measured_ms),
    fmt(r.baseline_ms),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`,
    r.target === null ? '(recorded)' : r.unit === 'x' ? `<= ${r.target}x` : `< ${r.target} ms`,
    r.pass ? 'ok' : 'MISSED',
  ]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
for (const row of table)
  process.stdout.write(
    `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
  );

const results = {
  at: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${release()}`,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  results: rows,
};
mkdirSync(join(ROOT, 'bench', 'results'), {recursive: true});
writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`written to bench/results/latest.json\n`);
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
