import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import type {EventStore, LockedLog} from '../../../../core/eventStore.js';
import type {EventDraft} from '../../../../core/events.js';
import type {TeamStore} from '../../../../plugins/server/api.js';
import {EmbeddedTeamStore} from '../../../../plugins/server/store/embedded.js';
import {embeddedLog, resumeNock, suspendNock} from '../../../helpers/teamServer.js';

const at = '2026-01-01T00:00:00.000Z';
const put = (store: TeamStore, id: string) =>
  store.transact(async (tx) => {
    const before = await tx.node(id);
    tx.append(`node/${id}`, before?.version ?? 0, [
      {
        type: 'team-node-written',
        data: {
          node: {id, type: 'task', title: id, created: at, updated: at, edges: []},
          revision: 'r',
          op: 'created',
          by: {author: 'person-a', via: 'rest'},
        },
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
let store: TeamStore | undefined;
beforeEach(() => {
  suspendNock();
  home = realpathSync(mkdtempSync(join(tmpdir(), 'spor-pipeline-')));
});
afterEach(async () => {
  await store?.close();
  rmSync(home, {recursive: true, force: true});
  resumeNock();
});

// The disk's latency and the work of deciding overlap (store/embedded.ts): a client does not wait
// for the batch ahead of it to be flushed before its own is written.
it('a transaction that comes in while a batch is being flushed is written before that flush ends', async () => {
  const {log, catalog} = await embeddedLog(home);
  let flush!: () => void;
  const held = holdingFirstFlush(log, new Promise<void>((r) => (flush = r)));
  store = new EmbeddedTeamStore(held.log, catalog);
  const first = put(store, 'task-first');
  await held.written(1);
  const second = put(store, 'task-second');
  await held.written(2);
  flush();
  await Promise.all([first, second]);
  expect(await store.node('task-first')).toMatchObject({version: 1});
  expect(await store.node('task-second')).toMatchObject({version: 1});
});
