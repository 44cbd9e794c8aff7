import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {crc32} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/tempHome.js';
import {startWorker} from '../helpers/workers.js';

const WRITERS = 8;
const EACH = 500;

interface Line {
  seq: number;
  id: string;
  type: string;
  actor: string;
  data: {worker: string; n: number; round?: number};
  crc: string;
}

/** Every line of the log, each checked against its CRC here, independently of the store's code. */
const readVerified = (log: string): Array<Line> =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      const at = l.lastIndexOf(',"crc":"');
      const parsed = JSON.parse(l) as Line;
      const crc = crc32(`${l.slice(0, at)}}`)
        .toString(16)
        .padStart(8, '0');
      if (parsed.crc !== crc) throw new Error(`line ${i + 1}: checksum ${parsed.crc}, computed ${crc}`);
      return parsed;
    });

describe('many processes appending to one log', () => {
  it(`${WRITERS} processes × ${EACH} appends: exactly ${WRITERS * EACH} events, seq 1..${WRITERS * EACH}, every checksum valid`, async () => {
    const sporHome = join(tempDir('spor-stress-'), '.spor');
    const workers = Array.from({length: WRITERS}, (_, i) =>
      startWorker(['append', sporHome, `w${i}`, String(EACH)], `w${i}`),
    );
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(workers.map(() => 'ready'));
    // All start together, so the appends really interleave.
    for (const w of workers) w.child.stdin.end('go\n');
    const ends = await Promise.all(workers.map((w) => w.exited));
    expect(ends.map((e, i) => ({...e, stderr: workers[i]?.stderr()}))).toEqual(
      workers.map(() => ({code: 0, signal: null, stderr: ''})),
    );

    const lines = readVerified(join(sporHome, 'events.jsonl'));
    expect(lines).toHaveLength(WRITERS * EACH);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({length: WRITERS * EACH}, (_, i) => i + 1));
    expect(new Set(lines.map((l) => l.id)).size).toBe(WRITERS * EACH);
    // The writers really ran at the same time: the log switches between them many times.
    const switches = lines.filter((l, i) => i > 0 && l.actor !== lines[i - 1]?.actor).length;
    console.log(`stress: ${switches} switches between writers in ${lines.length} events`);
    expect(switches).toBeGreaterThan(WRITERS);
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const w of workers) {
      const reported = w.lines.filter((l) => l !== 'ready').map((l) => l.split(' '));
      expect(reported, w.name).toHaveLength(EACH);
      for (const [seq, id, n] of reported) {
        // Each child's own ids are in the log, at the seq its append returned, with its data.
        expect(byId.get(id as string), `${w.name} #${n}`).toMatchObject({
          seq: Number(seq),
          actor: `worker:${w.name}`,
          data: {worker: w.name, n: Number(n)},
        });
      }
      // One process's appends keep their order.
      const mine = lines.filter((l) => l.data.worker === w.name).map((l) => l.data.n);
      expect(mine, w.name).toEqual(Array.from({length: EACH}, (_, i) => i));
    }
    // The store's own verifier agrees.
    const {EventStore} = await import('../../core/eventStore.js');
    const {EventCatalog} = await import('../../core/catalog.js');
    const {sporPaths} = await import('../../core/paths.js');
    const {systemClock, randomIds} = await import('../../core/clock.js');
    const report = new EventStore(
      sporPaths({SPOR_HOME: sporHome}),
      systemClock,
      randomIds,
      new EventCatalog(),
      'machine:test',
    ).inspect();
    expect(report).toMatchObject({lastSeq: WRITERS * EACH, records: WRITERS * EACH, issues: []});
  });

  it('of several processes expecting the same seq, exactly one wins each time', async () => {
    const sporHome = join(tempDir('spor-stress-'), '.spor');
    const workers = Array.from({length: 6}, (_, i) => startWorker(['conflict', sporHome, `c${i}`], `c${i}`));
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(workers.map(() => 'ready'));
    for (let round = 0; round < 10; round += 1) {
      for (const w of workers) w.child.stdin.write(`go ${round}\n`);
      const results = await Promise.all(workers.map((w) => w.next()));
      expect(
        results.filter((r) => r === `won ${round + 1}`),
        `round ${round}: ${results.join(', ')}`,
      ).toHaveLength(1);
      expect(
        results.filter((r) => r === `conflict ${round + 1}`),
        `round ${round}`,
      ).toHaveLength(workers.length - 1);
    }
    for (const w of workers) w.child.stdin.end('end\n');
    expect((await Promise.all(workers.map((w) => w.exited))).map((e) => e.code)).toEqual(workers.map(() => 0));
    const lines = readVerified(join(sporHome, 'events.jsonl'));
    expect(lines.map((l) => [l.seq, l.data.round])).toEqual(Array.from({length: 10}, (_, i) => [i + 1, i]));
  });
});
