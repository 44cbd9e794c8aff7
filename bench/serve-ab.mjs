#!/usr/bin/env node
// Two builds of `spor serve` on serve.mjs's claim+release load (embedded store, 50 connections),
// both running at once, rounds alternating between them (AB, BA, …). One run of serve.mjs moves
// by ±10% on a shared machine; paired rounds tell a change to the server from that noise.
//
//   cp -r dist /tmp/spor-before        # then change the code and `npm run build`
//   node bench/serve-ab.mjs /tmp/spor-before dist [rounds=10] [seconds=2]
//
// Prints each round and, at the end, B's requests per second over A's (the median of the rounds'
// ratios, and the ratio of the medians) and each side's server CPU per request.
import {rmSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {median, round, tempDir} from './lib.mjs';
import {claimRelease, cpuMs, load, ok, seedNodes, startSpor} from './serve.mjs';

const [distA, distB, roundsArg = '10', secondsArg = '2'] = process.argv.slice(2);
if (distA === undefined || distB === undefined) {
  process.stderr.write('usage: node bench/serve-ab.mjs <dist-a> <dist-b> [rounds] [seconds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);

const start = async (dist) => {
  const home = tempDir('spor-bench-ab-');
  const server = await startSpor(home, {bin: join(resolve(dist), 'spor.js')});
  await seedNodes(server.url, server.token);
  ok(await claimRelease(server.url, server.token, 2, 'task-bench'), `${dist}: warm-up`);
  return {...server, home};
};

const sides = [await start(distA), await start(distB)];
const rps = [[], []];
const cpu = [[], []];
const ratios = [];
try {
  for (let i = 0; i < rounds; i += 1) {
    const got = [];
    for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const s = sides[k];
      const before = cpuMs(s.pid);
      const r = ok(await claimRelease(s.url, s.token, seconds, 'task-bench'), `round ${i}`);
      const after = cpuMs(s.pid);
      got[k] = r.requests.average;
      rps[k].push(r.requests.average);
      if (before !== undefined && after !== undefined) cpu[k].push(((after - before) * 1000) / r.requests.total);
    }
    ratios.push(got[1] / got[0]);
    process.stdout.write(
      `round ${i + 1}: A ${round(got[0], 0)}, B ${round(got[1], 0)} req/s, B/A ${round(got[1] / got[0], 3)} (load ${load()})\n`,
    );
  }
  const cpuText = cpu[0].length
    ? `; server CPU per request A ${round(median(cpu[0]), 0)} µs, B ${round(median(cpu[1]), 0)} µs`
    : '';
  process.stdout.write(
    `B/A: ${round(median(ratios), 3)} (median of ${rounds} rounds), ${round(median(rps[1]) / median(rps[0]), 3)} (ratio of medians: A ${round(median(rps[0]), 0)}, B ${round(median(rps[1]), 0)} req/s)${cpuText}\n`,
  );
} finally {
  for (const s of sides) {
    await s.stop();
    rmSync(s.home, {recursive: true, force: true});
  }
}
