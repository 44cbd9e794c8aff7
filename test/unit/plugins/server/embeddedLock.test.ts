import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import type {TeamStore} from '../../../../plugins/server/api.js';
import type {TeamNode} from '../../../../plugins/server/store/records.js';
import {openTestStore, resumeNock, suspendNock} from '../../../helpers/teamServer.js';

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
