import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import type {EventStore, LockedLog} from '../../../../core/eventStore.js';
import type {EventDraft} from '../../../../core/events.js';
import type {TeamStore} from '../../../../plugins/server/api.js';
import {EmbeddedTeamStore} from '../../../../plugins/server/store/embedded.js';
import type {TeamNode} from '../../../../plugins/server/store/records.js';
import {embeddedLog, openTestStore, resumeNock, suspendNock} from '../../../helpers/teamServer.js';

const at = '2026-01-01T00:00:00.000Z';
const doc = (id: string, summary: string): TeamNode => ({
  id,
  type: 'task',
  title: id,
  summary,
  created: at,
  updated: at,
  edges: [],
});
const put = (store: TeamStore, id: string, summary: string) =>
  store.transact(async (tx) => {
    const before = await tx.node(id);
    tx.append(`node/${id}`, before?.version ?? 0, [
      {
        type: 'team-node-written',
        data: {node: doc(id, summary), revision: 'r', op: 'updated', by: {author: 'person-a', via: 'rest'}},
      },
    ]);
  });

/**
 * The log, except that the first batch the store writes is not reported durable until `flushed`
 * resolves; `written(n)` resolves once the store has handed the log its n-th batch.
 */
const holdingFirstFlush = (log: EventStore, flushed: Promise<void>) => {
  const waiting: Array<{n: number; done: () => void}> = [];
  let batches = 0;
  const appendAsync = async (locked: LockedLog, drafts: ReadonlyArray<EventDraft>) => {
    const events = await locked.appendAsync(drafts);
    const n = (batches += 1);
    for (const w of waiting.filter((w) => w.n <= n)) w.done();
    if (n === 1) await flushed;
    return events;
  };
  const held = new Proxy(log, {
    get: (target, key) =>
      key === 'withLock'
        ? <T>(fn: (locked: LockedLog) => Promise<T> | T) =>
            target.withLock((locked) =>
              fn(
                new Proxy(locked, {
                  get: (l, k) =>
                    k === 'appendAsync'
                      ? (drafts: ReadonlyArray<EventDraft>) => appendAsync(l, drafts)
                      : (Reflect.get(l, k) as unknown),
                }),
              ),
            )
        : (Reflect.get(target, key) as unknown),
  });
  const written = (n: number) => new Promise<void>((done) => (batches >= n ? done() : waiting.push({n, done})));
  return {log: held, written};
};

let home: string;
const stores: Array<TeamStore> = [];
beforeEach(() => {
  suspendNock();
  home = realpathSync(mkdtempSync(join(tmpdir(), 'spor-lock-')));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(home, {recursive: true, force: true});
  resumeNock();
});

// The embedded store keeps the log's lock between its writes while transactions keep coming
// (store/embedded.ts): anyone else who asks for the lock must still get it while the load goes on.
it('a busy embedded store lets another writer of its log in, without waiting for the load to stop', async () => {
  const busy = await openTestStore('embedded', {home});
  const other = await openTestStore('embedded', {home});
  stores.push(busy, other);
  let stop = false;
  let written = 0;
  const load = Promise.all(
    Array.from({length: 20}, async (_, i) => {
      for (let n = 0; !stop; n += 1) {
        await put(busy, `task-load-${i}`, String(n));
        written += 1;
      }
    }),
  );
  try {
    while (written < 200) await new Promise((r) => setTimeout(r, 5));
    const before = written;
    await put(other, 'task-other', 'in');
    // The other writer got in while the load was still running, and the load went on after it.
    expect(stop).toBe(false);
    const after = written;
    while (written < after + 100) await new Promise((r) => setTimeout(r, 5));
    expect(after).toBeGreaterThan(before);
  } finally {
    stop = true;
    await load;
  }
  expect(await busy.node('task-other')).toMatchObject({node: {summary: 'in'}, version: 1});
  expect((await other.node('task-load-0'))?.version).toBeGreaterThan(1);
});

// The disk's latency and the work of deciding overlap (store/embedded.ts): a client does not wait
// for the batch ahead of it to be flushed before its own is written.
it('a transaction that comes in while a batch is being flushed is written before that flush ends', async () => {
  const {log, catalog} = await embeddedLog(home);
  let flush!: () => void;
  const held = holdingFirstFlush(log, new Promise<void>((r) => (flush = r)));
  const store = new EmbeddedTeamStore(held.log, catalog);
  stores.push(store);
  const first = put(store, 'task-first', 'one');
  await held.written(1);
  const second = put(store, 'task-second', 'two');
  await held.written(2);
  flush();
  await Promise.all([first, second]);
  expect(await store.node('task-first')).toMatchObject({node: {summary: 'one'}, version: 1});
  expect(await store.node('task-second')).toMatchObject({node: {summary: 'two'}, version: 1});
});
