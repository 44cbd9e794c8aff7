#!/usr/bin/env node
// Does each start-up patch still pay for itself? The CPU time (user + sys, from bash's `times`, in
// 10 ms ticks) of a fresh `spor repos list` for each build given (a dist/ directory, e.g. one built
// with a patch left out of core/build/build.mjs), beside `node -e 0`, interleaved. CPU time rather
// than wall time, so that a machine busy with other work does not drown a few milliseconds.
// Usage: ROUNDS=30 node bench/patches.mjs <dist-dir>...
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {median} from './lib.mjs';

const builds = process.argv.slice(2);
const homes = Object.fromEntries(builds.map((b) => [b, mkdtempSync(join(tmpdir(), 'spor-patches-'))]));
const env = (b) => ({
  PATH: process.env.PATH,
  HOME: homes[b],
  XDG_CACHE_HOME: join(homes[b], '.cache'),
  SPOR_HOME: join(homes[b], '.spor'),
  LANG: 'C.UTF-8',
  TZ: 'UTC',
});

/** CPU milliseconds (user + sys) of one command line, as bash's `times` reports its children. */
const cpu = (line, e) => {
  const out = spawnSync('bash', ['-c', `${line} >/dev/null 2>&1; times`], {env: e, encoding: 'utf8'}).stdout;
  const children = out.trim().split('\n')[1] ?? '';
  const [user = 0, sys = 0] = children.split(/\s+/).map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return (user + sys) * 1000;
};

try {
  for (const b of builds) {
    spawnSync(process.execPath, [join(b, 'spor.js'), 'repos', 'add', 'x', tmpdir()], {env: env(b)});
    for (let i = 0; i < 3; i += 1) spawnSync(process.execPath, [join(b, 'spor.js'), 'repos', 'list'], {env: env(b)});
  }
  const samples = Object.fromEntries([...builds, 'node -e 0'].map((b) => [b, []]));
  const rounds = Number(process.env.ROUNDS ?? 30);
  for (let i = 0; i < rounds; i += 1) {
    const order = i % 2 === 0 ? [...builds, 'node -e 0'] : ['node -e 0', ...builds];
    for (const b of order) {
      const line =
        b === 'node -e 0' ? `${process.execPath} -e 0` : `${process.execPath} ${join(b, 'spor.js')} repos list`;
      samples[b].push(cpu(line, env(b === 'node -e 0' ? builds[0] : b)));
    }
  }
  for (const [b, xs] of Object.entries(samples)) process.stdout.write(`${b}\tmedian CPU ${median(xs).toFixed(0)} ms\n`);
} finally {
  for (const home of Object.values(homes)) rmSync(home, {recursive: true, force: true});
}
