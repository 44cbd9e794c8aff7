import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EventCatalog} from '../../../core/catalog.js';
import type {EventDraft, SporEvent} from '../../../core/events.js';
import {EventStore} from '../../../core/eventStore.js';
import {sporPaths} from '../../../core/paths.js';
import {graphEvents} from '../../../plugins/graph/model/events.js';
import {RecordReader, type LogSource} from '../../../core/records.js';
import {counterIds, fakeClock} from '../../helpers/fakeClock.js';
import {tempDir} from '../../helpers/tempHome.js';

const catalog = new EventCatalog();
catalog.add('graph', graphEvents);

/** A store whose log holds `n` node-added events; every 397th has a body far larger than a read block. */
const storeWith = async (n: number): Promise<{store: EventStore; events: Array<SporEvent>}> => {
  const store = new EventStore(
    sporPaths({SPOR_HOME: join(tempDir('spor-graph-log-'), '.spor')}),
    fakeClock(),
    counterIds(),
    catalog,
    'machine:test',
  );
  const events: Array<SporEvent> = [];
  for (let start = 0; start < n; start += 250) {
    const drafts: Array<EventDraft> = [];
    for (let i = start; i < Math.min(n, start + 250); i += 1) {
      const body = i % 397 === 0 ? 'x'.repeat(70_000 + i) : `body of task ${i}; `.repeat(20 + (i % 60));
      drafts.push({
        type: 'node-added',
        data: {node: {id: `task-${i}`, type: 'task', title: `Task ${i}`, created: '2026-01-01', body}},
      });
    }
    events.push(...(await store.append(drafts)));
  }
  return {store, events};
};

/** Counts the bytes read through the source. */
const counting = (store: EventStore): LogSource & {bytes: number} => {
  const source = {
    bytes: 0,
    size: () => store.size(),
    readBefore: (end: number, n: number) => {
      source.bytes += n;
      return store.readBefore(end, n);
    },
    readRanges: (ranges: ReadonlyArray<{start: number; length: number}>) => {
      for (const r of ranges) source.bytes += r.length;
      return store.readRanges(ranges);
    },
    read: (from: number, after: number, on: (e: SporEvent, end: number) => void) => {
      source.bytes += store.size() - from;
      return store.read(from, after, on);
    },
  };
  return source;
};

describe('finding events in the log by seq', () => {
  it('bisects to a few records, reading a small part of the log, and returns them exactly', async () => {
    const {store, events} = await storeWith(4000);
    const source = counting(store);
    const wanted = [1, 2, 397, 398, 777, 1455, 3999, 4000];
    const found = new RecordReader(source, catalog).fetch(wanted);
    expect([...found.keys()].sort((a, b) => a - b)).toEqual(wanted);
    for (const seq of wanted) expect(found.get(seq)).toEqual(events[seq - 1]);
    expect(source.bytes).toBeLessThan(store.size() / 4);
  });

  it('reads the whole log once when asked for many records', async () => {
    const {store, events} = await storeWith(600);
    const wanted = Array.from({length: 600}, (_, i) => i + 1).filter((s) => s % 2 === 0);
    const found = new RecordReader(store, catalog).fetch(wanted);
    expect(found.size).toBe(300);
    expect(found.get(600)).toEqual(events[599]);
  });

  it('finds every record of a log of very uneven lines, one at a time and in any order', async () => {
    const {store, events} = await storeWith(1500);
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const shared = new RecordReader(store, catalog);
    for (let i = 0; i < 150; i += 1) {
      const seq = 1 + (next() % 1500);
      expect(new RecordReader(store, catalog).fetch([seq]).get(seq)).toEqual(events[seq - 1]);
      expect(shared.fetch([seq]).get(seq)).toEqual(events[seq - 1]);
    }
  });

  it('reads just the line of a record whose place is known, and looks for it by seq when the place is wrong', async () => {
    const {store, events} = await storeWith(1200);
    // Where each record lies, as the projector tells a fold.
    const spans = new Map<number, {start: number; length: number}>();
    let start = 0;
    store.read(0, 0, (e, end) => {
      spans.set(e.seq, {start, length: end - start});
      start = end;
    });
    const at = (seq: number) => ({seq, ...(spans.get(seq) as {start: number; length: number})});
    const source = counting(store);
    const found = new RecordReader(source, catalog).fetch([at(5), at(397), at(1199)]);
    expect([...found.values()]).toEqual([events[4], events[396], events[1198]]);
    expect(source.bytes).toBe(at(5).length + at(397).length + at(1199).length);
    const moved = {...at(700), start: at(700).start + 3};
    expect(new RecordReader(store, catalog).fetch([moved, {seq: 701, start: -1, length: 0}]).get(700)).toEqual(
      events[699],
    );
    expect(new RecordReader(store, catalog).fetch([{...at(10), seq: 11}]).get(11)).toEqual(events[10]);
  });

  it('returns nothing for seqs the log does not have', async () => {
    const {store} = await storeWith(300);
    expect(new RecordReader(store, catalog).fetch([0, 301, 10_000]).size).toBe(0);
  });
});
