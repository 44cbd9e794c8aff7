import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EventCatalog} from '../../core/catalog.js';
import {randomIds, systemClock} from '../../core/clock.js';
import {EventStore} from '../../core/eventStore.js';
import {sporPaths} from '../../core/paths.js';
import {tempDir} from '../helpers/tempHome.js';
import {startWorker, type Worker} from '../helpers/workers.js';

const ROUNDS = 30;
const WRITERS = 4;
const APPENDS_EACH = 40;
// Generous on a loaded 2-core machine; a stale lock would hold survivors for the lock's 30 s.
const SURVIVOR_BOUND_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeded, so a failing round can be replayed: SPOR_CRASH_SEED=<n>. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

const storeAt = (sporHome: string): EventStore => {
  const catalog = new EventCatalog();
  catalog.add('test', {
    'work-done': {v: 1, data: ((d: unknown) => typeof d === 'object') as never},
    'round-checked': {v: 1, data: ((d: unknown) => typeof d === 'object') as never},
  });
  return new EventStore(sporPaths({SPOR_HOME: sporHome}), systemClock, randomIds, catalog, 'machine:test');
};

/** Seq and id of every append a writer saw return, from its report file. */
const reported = (file: string): Array<{seq: number; id: string}> =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const [seq, id] = l.split(' ');
          return {seq: Number(seq), id: id as string};
        })
    : [];

describe('writers killed with SIGKILL mid-append', () => {
  it(`over ${ROUNDS} rounds: survivors finish promptly, the log reopens, and every append that returned is there`, async () => {
    const seed = Number(process.env.SPOR_CRASH_SEED ?? Date.now() % 100_000);
    const rand = random(seed);
    const dir = tempDir('spor-crash-');
    const sporHome = join(dir, '.spor');
    const store = storeAt(sporHome);
    const returned = new Map<string, number>();
    let tornTails = 0;
    let slowestSurvivor = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      const where = `seed ${seed}, round ${round}`;
      const reports = Array.from({length: WRITERS}, (_, i) => join(dir, `r${round}-w${i}.txt`));
      const workers: Array<Worker> = reports.map((report, i) =>
        startWorker(['crash', sporHome, `r${round}w${i}`, String(APPENDS_EACH), report], `r${round}w${i}`),
      );
      // Kill once the writers are well into their loops, at a random moment.
      const started = Date.now();
      while (reports.filter((r) => existsSync(r) && statSync(r).size > 0).length < 2 && Date.now() - started < 10_000)
        await sleep(2);
      await sleep(rand() * 40);
      const mode = rand();
      const victims =
        mode < 0.4 ? workers : mode < 0.8 ? [workers[Math.floor(rand() * WRITERS)] as Worker] : workers.slice(0, 2);
      for (const v of victims) v.child.kill('SIGKILL');
      const killedAt = Date.now();

      const ends = await Promise.all(
        workers.map((w) =>
          Promise.race([
            w.exited,
            sleep(SURVIVOR_BOUND_MS + 5_000).then(() => ({code: null, signal: null, hung: true})),
          ]),
        ),
      );
      for (const [i, w] of workers.entries()) {
        const end = ends[i];
        if (victims.includes(w)) {
          // A victim may have finished just before the signal landed.
          expect(end, `${where}: ${w.name}`).toSatisfy(
            (e: {code: number | null; signal: string | null}) => e.signal === 'SIGKILL' || e.code === 0,
          );
        } else {
          expect(end, `${where}: survivor ${w.name} (${w.stderr()})`).toEqual({code: 0, signal: null});
        }
      }
      const survivorsTook = Date.now() - killedAt;
      slowestSurvivor = Math.max(slowestSurvivor, survivorsTook);
      expect(survivorsTook, `${where}: survivors took ${survivorsTook} ms`).toBeLessThan(SURVIVOR_BOUND_MS);

      if (store.inspect().issues.some((i) => i.kind === 'torn')) tornTails += 1;
      // The log reopens: the next append repairs whatever a victim left and lands right after it.
      const before = store.inspect();
      expect(
        before.issues.filter((i) => i.kind === 'corrupt'),
        where,
      ).toEqual([]);
      const [check] = await store.append([{type: 'round-checked', data: {round}}]);
      expect(check?.seq, where).toBe(before.lastSeq + 1);
      const after = store.inspect();
      expect(after, where).toMatchObject({lastSeq: check?.seq, records: check?.seq, issues: []});

      for (const r of reports) for (const {seq, id} of reported(r)) returned.set(id, seq);
      const inLog = new Map<string, number>();
      store.read(0, 0, (e) => {
        inLog.set(e.id, e.seq);
      });
      const lost = [...returned].filter(([id, seq]) => inLog.get(id) !== seq);
      expect(lost, `${where}: appends that returned but are missing or moved`).toEqual([]);
    }
    console.log(
      `crash (seed ${seed}): ${ROUNDS} rounds, ${returned.size} returned appends all present, ${tornTails} rounds left a torn tail, slowest survivors ${slowestSurvivor} ms`,
    );
    expect(returned.size).toBeGreaterThan(ROUNDS * WRITERS);
  });
});
