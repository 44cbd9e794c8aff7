#!/usr/bin/env node
// Before and after: the start-up and dispatch suites of two built trees (each a checkout with its
// own dist/, e.g. main in a copy and a branch), alternated in one process, so both see the same
// machine. Usage: node bench/compare.mjs <before-root> <after-root> [passes=2]
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';

const [before, after, passes = '2'] = process.argv.slice(2);
if (!before || !after) {
  process.stderr.write('usage: node bench/compare.mjs <before-root> <after-root> [passes]\n');
  process.exit(2);
}
const suitesOf = async (root) => {
  const at = (file) => pathToFileURL(resolve(root, 'bench', file)).href;
  return [(await import(at('startup.mjs'))).benchStartup, (await import(at('dispatch.mjs'))).benchDispatch];
};
const trees = {before: await suitesOf(before), after: await suitesOf(after)};
for (let pass = 1; pass <= Number(passes); pass += 1) {
  for (const [name, suites] of Object.entries(trees)) {
    const rows = [];
    for (const suite of suites) rows.push(...(await suite()));
    process.stdout.write(`pass ${pass}, ${name}\n`);
    for (const r of rows)
      process.stdout.write(
        `  ${r.ratio.toFixed(2)}x (${r.measured_ms.toFixed(0)} / ${r.baseline_ms.toFixed(0)} ms, target ${r.target}x)  ${r.name}\n`,
      );
  }
}
