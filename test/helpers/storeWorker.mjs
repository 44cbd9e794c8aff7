#!/usr/bin/env node
// A writer process for the store's multi-process tests (test/stress, test/crash). It drives the
// built EventStore from dist/core.js, as every spor process does, and reports each append only
// after append() has returned, with one write(2) per line so a SIGKILL can never leave half a line.
//
//   storeWorker.mjs append   <sporHome> <name> <count>           waits for "go" on stdin, then appends
//                                                                 <count> events; prints "<seq> <id> <n>"
//   storeWorker.mjs conflict <sporHome> <name>                   for each "go <k>" line: one append
//                                                                 expecting seq k; prints "won <seq>" or
//                                                                 "conflict <actual seq>"
//   storeWorker.mjs crash    <sporHome> <name> <count> <report>  waits for "go" on stdin, then appends
//                                                                 batches of 1-3 events (some of them
//                                                                 large), adds "<seq> <id>" lines to
//                                                                 <report> once each append returned, and
//                                                                 then prints "appended <i>"
import {closeSync, openSync, writeSync} from 'node:fs';
import {createRequire} from 'node:module';
import {createInterface} from 'node:readline';

const core = createRequire(import.meta.url)('../../dist/core.js');
const [mode, sporHome, name, ...rest] = process.argv.slice(2);

const catalog = new core.EventCatalog();
catalog.add('test', {'work-done': {v: 1, data: (d) => typeof d === 'object' && d !== null}});
const store = new core.EventStore(
  core.sporPaths({SPOR_HOME: sporHome}),
  core.systemClock,
  core.randomIds,
  catalog,
  `worker:${name}`,
);

const say = (fd, line) => {
  writeSync(fd, `${line}\n`);
};
const waitForGo = async () => {
  const rl = createInterface({input: process.stdin});
  const go = new Promise((resolve) => rl.once('line', resolve));
  say(1, 'ready');
  await go;
  rl.close();
};

const appendMode = async (count) => {
  await waitForGo();
  for (let n = 0; n < count; n += 1) {
    const [e] = await store.append([{type: 'work-done', data: {worker: name, n}}]);
    say(1, `${e.seq} ${e.id} ${n}`);
  }
};

const conflictMode = async () => {
  say(1, 'ready');
  for await (const line of createInterface({input: process.stdin})) {
    const [word, k] = line.split(' ');
    if (word !== 'go') break;
    try {
      const [e] = await store.append([{type: 'work-done', data: {worker: name, round: Number(k)}}], {
        expectedSeq: Number(k),
      });
      say(1, `won ${e.seq}`);
    } catch (err) {
      if (!(err instanceof core.ConflictError)) throw err;
      say(1, `conflict ${err.actualSeq}`);
    }
  }
};

// Sizes vary from a few bytes to 256 KiB so that a kill often lands inside a write(2) or fdatasync.
const payload = (i) => 'x'.repeat(i % 7 === 0 ? 32_768 + ((i * 7919) % 229_376) : (i * 131) % 600);

const crashMode = async (count, report) => {
  await waitForGo();
  const fd = openSync(report, 'a');
  try {
    for (let i = 0; i < count; i += 1) {
      const size = 1 + (i % 3);
      const drafts = Array.from({length: size}, (_, k) => ({
        type: 'work-done',
        data: {worker: name, i, k, pad: payload(i + k)},
      }));
      const events = await store.append(drafts);
      // Not fsynced: a killed process's completed writes stay in the page cache, which is all a
      // SIGKILL test can ask for. One write per append keeps a report line whole.
      writeSync(fd, events.map((e) => `${e.seq} ${e.id}\n`).join(''));
      // What the test kills on: the point of the run is chosen by count, not by the clock.
      say(1, `appended ${i}`);
    }
  } finally {
    closeSync(fd);
  }
};

if (mode === 'append') await appendMode(Number(rest[0]));
else if (mode === 'conflict') await conflictMode();
else if (mode === 'crash') await crashMode(Number(rest[0]), rest[1]);
else {
  process.stderr.write(`storeWorker: unknown mode '${mode}'\n`);
  process.exitCode = 2;
}
