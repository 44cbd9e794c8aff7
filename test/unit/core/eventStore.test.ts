import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {ConflictError, StoreError} from '../../../core/errors.js';
import {decodeLine} from '../../../core/logFormat.js';
import {counterIds, fakeClock} from '../../helpers/fakeClock.js';
import {lineSpans, makeStore, readAll, thing, type StoreFixture} from './storeFixture.js';

/** The stored lines of `buf`, decoded; fails the test on a line that is not a valid record. */
const decodeAll = (buf: Buffer) =>
  lineSpans(buf).map(([s, e]) => {
    const d = decodeLine(buf, s, e - 1);
    if (typeof d === 'string') throw new Error(`line at ${s}: ${d}`);
    return d.event;
  });

const flipByte = (file: string, at: number): void => {
  const fd = openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    b[0] = (readFileSync(file)[at] as number) ^ 0x01;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
};

const expectClean = (f: StoreFixture, records: number): void => {
  expect(f.store.inspect()).toMatchObject({lastSeq: records, records, issues: [], size: f.bytes().length});
};

describe('EventStore.append', () => {
  it('returns the stored events with gap-free seq, stamped id, at, actor and v', async () => {
    const f = makeStore({clock: fakeClock('2026-03-01T10:00:00.000Z'), ids: counterIds('ev'), actor: 'person:ada'});
    const first = await f.store.append([thing(1)]);
    const batch = await f.store.append([thing(2), thing(3, {id: 'import-7', causation: 'ev-1'}), thing(4)]);
    const last = await f.store.append([thing(5)]);
    expect([...first, ...batch, ...last].map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(first[0]).toEqual({
      id: 'ev-1',
      seq: 1,
      type: 'thing-happened',
      v: 3,
      at: '2026-03-01T10:00:00.000Z',
      actor: 'person:ada',
      data: {n: 1},
    });
    // One clock reading per append: a batch shares its time.
    expect(batch.map((e) => [e.id, e.at, e.causation])).toEqual([
      ['ev-2', '2026-03-01T10:00:01.000Z', undefined],
      ['import-7', '2026-03-01T10:00:01.000Z', 'ev-1'],
      ['ev-3', '2026-03-01T10:00:01.000Z', undefined],
    ]);
    // What was returned is exactly what is on disk, and what readers see.
    expect(decodeAll(f.bytes())).toEqual([...first, ...batch, ...last]);
    expect(readAll(f.store)).toEqual([...first, ...batch, ...last]);
    expectClean(f, 5);
  });

  it('appendAsync stores exactly what append would, and seals the log for the next writer', async () => {
    const f = makeStore({clock: fakeClock('2026-03-01T10:00:00.000Z'), ids: counterIds('ev')});
    const sync = await f.store.append([thing(1)]);
    const async = await f.store.withLock((log) => log.appendAsync([thing(2), thing(3)]));
    const after = await f.store.append([thing(4)]);
    expect([...sync, ...async, ...after].map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(decodeAll(f.bytes())).toEqual([...sync, ...async, ...after]);
    expect(await f.store.withLock((log) => log.appendAsync([]))).toEqual([]);
    // Overlapping calls take their seqs in call order and are written in that order.
    const [x, y] = await f.store.withLock((log) =>
      Promise.all([log.appendAsync([thing(5)]), log.appendAsync([thing(6)])]),
    );
    expect([...(x ?? []), ...(y ?? [])].map((e) => e.seq)).toEqual([5, 6]);
    await expect(f.store.withLock((log) => log.appendAsync([thing(7)], {expectedSeq: 3}))).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(decodeAll(f.bytes()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expectClean(f, 6);
  });

  it('keeps seq gap-free across stores (processes) sharing the log', async () => {
    const a = makeStore();
    const b = makeStore({paths: a.paths, ids: counterIds('b')});
    const seqs: Array<number> = [];
    for (let i = 0; i < 6; i += 1) {
      const batch = await (i % 2 === 0 ? a : b).store.append(
        Array.from({length: 1 + (i % 3)}, (_, k) => thing(i * 10 + k)),
      );
      seqs.push(...batch.map((e) => e.seq));
    }
    expect(seqs).toEqual(Array.from({length: seqs.length}, (_, i) => i + 1));
    expectClean(a, seqs.length);
  });

  it('creates SPOR_HOME privately on the first write, not before', async () => {
    const f = makeStore();
    expect(existsSync(f.paths.home)).toBe(false);
    expect(readAll(f.store)).toEqual([]);
    expect(existsSync(f.paths.home)).toBe(false);
    await f.store.append([thing(1)]);
    const {statSync} = await import('node:fs');
    expect(statSync(f.paths.home).mode & 0o777).toBe(0o700);
    expect(statSync(f.paths.log).mode & 0o777).toBe(0o600);
  });
});

describe('optimistic concurrency', () => {
  it('of two appends expecting the same seq, exactly one wins; the other gets ConflictError', async () => {
    const a = makeStore({ids: counterIds('a')});
    const b = makeStore({paths: a.paths, ids: counterIds('b')});
    await a.store.append([thing(1), thing(2)]);
    const results = await Promise.allSettled([
      a.store.append([thing(10)], {expectedSeq: 2}),
      b.store.append([thing(20)], {expectedSeq: 2}),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    expect(lost[0]?.reason).toMatchObject({expectedSeq: 2, actualSeq: 3, code: 'E_CONFLICT', exitCode: 1});
    expect(readAll(a.store).map((e) => e.seq)).toEqual([1, 2, 3]);
    expectClean(a, 3);
  });

  it('appends when the expectation holds, and a conflict writes nothing', async () => {
    const f = makeStore();
    await f.store.append([thing(1)], {expectedSeq: 0});
    const before = f.bytes();
    await expect(f.store.append([thing(2)], {expectedSeq: 0})).rejects.toThrow(/expected seq 0, found 1/);
    expect(f.bytes()).toEqual(before);
    expect(await f.store.append([thing(2)], {expectedSeq: 1})).toMatchObject([{seq: 2}]);
  });
});

describe('explicit event ids', () => {
  it('the same id appended twice is stored once', async () => {
    const f = makeStore();
    expect(await f.store.append([thing(1, {id: 'import-1'})])).toMatchObject([{id: 'import-1', seq: 1}]);
    expect(await f.store.append([thing(1, {id: 'import-1'})])).toEqual([]);
    expect(readAll(f.store).map((e) => e.id)).toEqual(['import-1']);
  });

  it('an id repeated within one batch is stored once, and the rest of the batch still lands', async () => {
    const f = makeStore({ids: counterIds('gen')});
    await f.store.append([thing(0, {id: 'old'})]);
    const got = await f.store.append([thing(1, {id: 'x'}), thing(2, {id: 'x'}), thing(3, {id: 'old'}), thing(4)]);
    expect(got.map((e) => [e.id, e.seq, e.data])).toEqual([
      ['x', 2, {n: 1}],
      ['gen-1', 3, {n: 4}],
    ]);
    expect(readAll(f.store).map((e) => e.id)).toEqual(['old', 'x', 'gen-1']);
    expectClean(f, 3);
  });

  it('two writers racing with the same id store it once', async () => {
    const a = makeStore();
    const b = makeStore({paths: a.paths});
    const results = await Promise.all([
      a.store.append([thing(1, {id: 'sync-9'})]),
      b.store.append([thing(1, {id: 'sync-9'})]),
    ]);
    expect(results.flat()).toHaveLength(1);
    expect(readAll(a.store).map((e) => e.id)).toEqual(['sync-9']);
  });

  it('refuses an id that could not be a log id, writing nothing', async () => {
    const f = makeStore();
    await expect(f.store.append([thing(1, {id: 'has space'})])).rejects.toMatchObject({code: 'E_EVENT_ID'});
    expect(f.bytes().length).toBe(0);
  });
});

describe('event types', () => {
  it('an append of a type no plugin declares is refused whole, with nothing written', async () => {
    const f = makeStore();
    await f.store.append([thing(1)]);
    const before = f.bytes();
    const attempt = f.store.append([thing(2), {type: 'nobody-declares-this', data: {}}]);
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    await expect(f.store.append([{type: 'nobody-declares-this', data: {}}])).rejects.toMatchObject({
      code: 'E_EVENT_TYPE',
      message: expect.stringContaining("'nobody-declares-this'"),
      hint: expect.stringContaining('spor plugins list'),
    });
    expect(f.bytes()).toEqual(before);
    expect(await f.store.append([thing(2)])).toMatchObject([{seq: 2}]);
  });
});

describe('torn tail repair', () => {
  it('a final record truncated at every byte offset is repaired to the committed prefix; the next append lands on a clean line', async () => {
    const f = makeStore();
    for (let n = 1; n <= 3; n += 1) await f.store.append([thing(n)]);
    const committed = f.bytes();
    const sealOfCommitted = readFileSync(f.paths.seal);
    await f.store.append([thing(4, {note: 'the record that gets torn: ü → ✓'})]);
    const full = f.bytes();
    const finalLength = full.length - committed.length;
    let repaired = 0;
    for (let cut = 0; cut < finalLength; cut += 1) {
      // With the seal its last good append left (a writer died before sealing), and with none.
      for (const seal of ['left by the last good append', 'missing'] as const) {
        writeFileSync(f.paths.log, full.subarray(0, committed.length + cut));
        if (seal === 'missing') rmSync(f.paths.seal, {force: true});
        else writeFileSync(f.paths.seal, sealOfCommitted);
        const store = makeStore({paths: f.paths}).store;
        const [next] = await store.append([thing(99)]);
        expect(next?.seq, `cut ${cut}, seal ${seal}`).toBe(4);
        const after = f.bytes();
        expect(after.subarray(0, committed.length).equals(committed), `cut ${cut}: committed prefix kept`).toBe(true);
        const tail = after.subarray(committed.length);
        expect(tail.indexOf(10), `cut ${cut}: one new line`).toBe(tail.length - 1);
        expect(decodeAll(after).map((e) => [e.seq, e.data])).toEqual([
          [1, {n: 1}],
          [2, {n: 2}],
          [3, {n: 3}],
          [4, {n: 99}],
        ]);
        repaired += 1;
      }
    }
    expect(repaired).toBe(2 * finalLength);
    expectClean(f, 4);
  });

  it('a reader never sees a torn record, and the repair does not lose it from a reader mid-way', async () => {
    const f = makeStore();
    await f.store.append([thing(1), thing(2)]);
    const committed = f.bytes();
    await f.store.append([thing(3)]);
    writeFileSync(f.paths.log, f.bytes().subarray(0, f.bytes().length - 5));
    expect(readAll(f.store).map((e) => e.seq)).toEqual([1, 2]);
    expect(f.store.inspect().issues).toEqual([
      {kind: 'torn', record: 3, offset: committed.length, reason: 'unterminated final record'},
    ]);
  });

  it('a multi-event batch cut short anywhere is rolled back whole on the next append', async () => {
    const f = makeStore();
    await f.store.append([thing(1)]);
    await f.store.append([thing(2)]);
    const committed = f.bytes();
    const seal = readFileSync(f.paths.seal);
    await f.store.append([thing(3), thing(4), thing(5)]);
    const full = f.bytes();
    const batchLines = lineSpans(full).slice(2);
    expect(batchLines).toHaveLength(3);
    for (let cut = committed.length; cut < full.length; cut += 1) {
      writeFileSync(f.paths.log, full.subarray(0, cut));
      writeFileSync(f.paths.seal, seal);
      const store = makeStore({paths: f.paths}).store;
      // Whole lines of the batch are on disk for some cuts; readers still must not see them.
      expect(
        readAll(store).map((e) => e.seq),
        `cut ${cut}`,
      ).toEqual([1, 2]);
      const [next] = await store.append([thing(30)]);
      expect(next?.seq, `cut ${cut}`).toBe(3);
      expect(
        decodeAll(f.bytes()).map((e) => e.data),
        `cut ${cut}`,
      ).toEqual([{n: 1}, {n: 2}, {n: 30}]);
    }
    expectClean(f, 3);
  });
});

describe('damage in the middle of the log', () => {
  it('a flipped byte anywhere in a middle record makes append refuse, naming the record, and drops nothing', async () => {
    const f = makeStore();
    for (let n = 1; n <= 5; n += 1) await f.store.append([thing(n, {note: `record ${n}`})]);
    const good = f.bytes();
    const [start, end] = lineSpans(good)[2] as [number, number];
    // The damage comes after the last append, as it would in life: each damaged log is dated a
    // second after the last append. (The seal notices an edit by the log's size and mtime; where
    // timestamps are coarse, an edit of the same size within the same tick as an append is left
    // to `spor doctor` and to any read that crosses the record.)
    const later = statSync(f.paths.log).mtimeMs / 1000 + 1;
    for (let at = start; at < end; at += 1) {
      flipByte(f.paths.log, at);
      utimesSync(f.paths.log, later, later);
      const damaged = f.bytes();
      const seal = readFileSync(f.paths.seal);
      const attempt = makeStore({paths: f.paths}).store.append([thing(6)]);
      await expect(attempt, `byte ${at}`).rejects.toBeInstanceOf(StoreError);
      await expect(makeStore({paths: f.paths}).store.append([thing(6)]), `byte ${at}`).rejects.toMatchObject({
        code: 'E_LOG_DAMAGED',
        message: expect.stringContaining('damaged at record 3 '),
        hint: expect.stringContaining('spor doctor'),
      });
      expect(f.bytes().equals(damaged), `byte ${at}: log unchanged`).toBe(true);
      expect(readFileSync(f.paths.seal).equals(seal), `byte ${at}: seal unchanged`).toBe(true);
      // What doctor reads: the damaged record by number, and the records after it still there.
      const report = f.store.inspect();
      expect(report.issues[0], `byte ${at}`).toMatchObject({kind: 'corrupt', record: 3, offset: start});
      if (at !== end - 1)
        expect(report, `byte ${at}`).toMatchObject({records: 4, lastSeq: 5, issues: [expect.anything()]});
      expect(() => readAll(f.store)).toThrow(/damaged at record 3/);
      flipByte(f.paths.log, at);
    }
    expect(f.bytes().equals(good)).toBe(true);
    expect(await f.store.append([thing(6)])).toMatchObject([{seq: 6}]);
    expectClean(f, 6);
  });

  it('damage in the last terminated record is refused, not mistaken for a torn tail and cut off', async () => {
    const f = makeStore();
    for (let n = 1; n <= 3; n += 1) await f.store.append([thing(n)]);
    const [start] = lineSpans(f.bytes())[2] as [number, number];
    flipByte(f.paths.log, start + 12);
    const damaged = f.bytes();
    await expect(f.store.append([thing(4)])).rejects.toMatchObject({
      code: 'E_LOG_DAMAGED',
      message: expect.stringContaining('record 3'),
    });
    expect(f.bytes().equals(damaged)).toBe(true);
  });

  it('with no seal to compare against, the whole log is verified and a damaged record still refuses the write', async () => {
    const f = makeStore();
    for (let n = 1; n <= 3; n += 1) await f.store.append([thing(n)]);
    const [start] = lineSpans(f.bytes())[1] as [number, number];
    flipByte(f.paths.log, start + 5);
    rmSync(f.paths.seal);
    await expect(f.store.append([thing(4)])).rejects.toMatchObject({
      code: 'E_LOG_DAMAGED',
      message: expect.stringContaining('record 2'),
    });
  });
});

describe('the seal', () => {
  it('a holder that writes batch after batch (appendAsync) leaves a seal of the whole log when it lets go', async () => {
    const f = makeStore();
    const ends = await f.store.withLock(async (log) => {
      const seen: Array<number> = [];
      for (let n = 1; n <= 5; n += 1) {
        await log.appendAsync([thing(n)]);
        seen.push(log.durableEnd());
      }
      return seen;
    });
    // Each batch moved the durable end forward, to where the log now ends.
    expect(new Set(ends).size).toBe(5);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    expect(ends.at(-1)).toBe(f.bytes().length);
    const seal = JSON.parse(readFileSync(f.paths.seal, 'utf8')) as {size: number; seq: number};
    expect(seal).toMatchObject({size: f.bytes().length, seq: 5});
    expectClean(f, 5);
  });

  it('an unreadable or lying seal only costs a verification pass', async () => {
    const f = makeStore();
    for (let n = 1; n <= 3; n += 1) await f.store.append([thing(n)]);
    for (const seal of [
      '',
      'garbage',
      '{"size":1,"mtimeNs":"1","seq":99}',
      JSON.stringify({size: f.bytes().length, mtimeNs: '0', seq: 1}),
    ]) {
      writeFileSync(f.paths.seal, seal);
      const seqBefore = f.store.inspect().lastSeq;
      const [e] = await makeStore({paths: f.paths}).store.append([thing(0)]);
      expect(e?.seq, `seal ${seal}`).toBe(seqBefore + 1);
    }
    expectClean(f, 7);
  });
});
