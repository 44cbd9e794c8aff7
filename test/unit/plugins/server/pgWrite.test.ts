import {randomUUID} from 'node:crypto';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {TeamStore} from '../../../../plugins/server/api.js';
import {openTestStore, pgSchema, postgresReachable, resumeNock, suspendNock} from '../../../helpers/teamServer.js';

// team_write (migrations/002_group_write.ts) against a real PostgreSQL: what one call promises
// each transaction of its batch when other calls contend for the same streams.

const at = '2026-01-01T00:00:00.000Z';
const node = (id: string, version: number) => [
  {
    id: randomUUID(),
    stream: `node/${id}`,
    version,
    type: 'team-node-written',
    data: {
      node: {id, type: 'task', title: id, created: at, updated: at, edges: []},
      revision: 'r',
      op: 'created',
      by: {author: 'person-a', via: 'rest'},
    },
  },
];

describe.runIf(await postgresReachable())('team_write (PostgreSQL)', () => {
  let db: ReturnType<typeof pgSchema>;
  let store: TeamStore;
  const clients: Array<pg.Client> = [];
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({connectionString: db.url.split('?')[0], options: `-c search_path=${db.schema}`});
    await c.connect();
    clients.push(c);
    return c;
  };
  const write = async (c: pg.Client, txs: Array<ReturnType<typeof node>>): Promise<Array<number>> =>
    (await c.query('SELECT team_write($1::jsonb, $2, $3) AS lost', [JSON.stringify(txs), at, 'test'])).rows[0].lost;

  beforeAll(async () => {
    suspendNock();
    db = pgSchema();
    store = await openTestStore('postgres', {home: '', pgUrl: db.url});
  });
  afterAll(async () => {
    for (const c of clients) await c.end();
    await store.close();
    await db.drop();
    resumeNock();
  });

  it('a transaction whose version is taken writes nothing; the rest of its batch commits', async () => {
    const c = await connect();
    expect(await write(c, [node('task-a', 1), node('task-a', 1), node('task-b', 1)])).toEqual([1]);
    expect((await store.node('task-a'))?.version).toBe(1);
    expect((await store.node('task-b'))?.version).toBe(1);
    expect(await store.head()).toBe(2);
  });

  it('two calls that wait on each other: the deadlock costs one transaction, not a batch', async () => {
    const [one, two] = [await connect(), await connect()];
    // Each call holds one stream in an open transaction, then asks for the other's.
    await one.query('BEGIN');
    await two.query('BEGIN');
    expect(await write(one, [node('task-x', 1)])).toEqual([]);
    expect(await write(two, [node('task-y', 1)])).toEqual([]);
    // Now one asks for task-y (held by two) and two for task-x (held by one).
    // A call ends when its transaction commits, as each team_write does on its own.
    const settle = async (c: pg.Client, p: Promise<Array<number>>) => {
      const lost = await p;
      await c.query('COMMIT');
      return lost;
    };
    const [a, b] = await Promise.all([
      settle(one, write(one, [node('task-y', 2), node('task-z', 1)])),
      settle(two, write(two, [node('task-x', 2)])),
    ]);
    // PostgreSQL picks the victim: its transaction wrote nothing and says so; the rest of both
    // batches committed.
    expect([a, b].sort()).toEqual([[], [0]]);
    const version = async (id: string) => (await store.node(id))?.version;
    expect(await version('task-z')).toBe(1);
    expect([await version('task-x'), await version('task-y')]).toEqual(a.length > 0 ? [2, 1] : [1, 2]);
  });
});
