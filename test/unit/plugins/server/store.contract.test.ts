import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {TeamStore} from '../../../../plugins/server/api.js';
import {VersionConflict} from '../../../../plugins/server/store/contract.js';
import type {TeamNode} from '../../../../plugins/server/store/records.js';
import {
  openTestStore,
  pgSchema,
  resumeNock,
  storeKinds,
  suspendNock,
  type StoreKind,
} from '../../../helpers/teamServer.js';

const at = '2026-01-01T00:00:00.000Z';
const by = {author: 'person-a', via: 'rest' as const};
const H = (n: number): string => n.toString(16).repeat(64);
const doc = (id: string, extra: Partial<TeamNode> = {}): TeamNode => ({
  id,
  type: id.split('-')[0] as string,
  title: id,
  created: at,
  updated: at,
  edges: [],
  ...extra,
});

/**
 * The TeamStore contract, run against every backend: transactions of stream-versioned appends,
 * the reads projected from them, and the state surviving a restart.
 */
describe.each(await storeKinds())('TeamStore contract (%s)', (kind: StoreKind) => {
  let home: string;
  let pg: ReturnType<typeof pgSchema> | undefined;
  let stores: Array<TeamStore>;
  const open = async (): Promise<TeamStore> => {
    const s = await openTestStore(kind, {home, ...(pg ? {pgUrl: pg.url} : {})});
    stores.push(s);
    return s;
  };
  beforeEach(() => {
    suspendNock();
    home = realpathSync(mkdtempSync(join(tmpdir(), 'spor-store-')));
    pg = kind === 'postgres' ? pgSchema() : undefined;
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    await pg?.drop();
    rmSync(home, {recursive: true, force: true});
    resumeNock();
  });

  const writeNode = (store: TeamStore, node: TeamNode, expected: number) =>
    store.transact(async (tx) => {
      tx.append(`node/${node.id}`, expected, [
        {type: 'team-node-written', data: {node, revision: 'r', op: 'created', by}},
      ]);
    });

  it('a committed append is read back at version 1; nodes keep creation order; inbound follows edges', async () => {
    const store = await open();
    await writeNode(store, doc('task-b'), 0);
    await writeNode(store, doc('task-a', {edges: [{type: 'blocks', to: 'task-b'}]}), 0);
    expect(await store.node('task-b')).toMatchObject({node: {id: 'task-b'}, version: 1, revision: 'r'});
    expect((await store.nodes()).map((r) => r.node.id)).toEqual(['task-b', 'task-a']);
    expect((await store.nodes('task')).length).toBe(2);
    expect((await store.inbound('task-b')).map((r) => r.node.id)).toEqual(['task-a']);
    await writeNode(store, doc('task-a'), 1);
    expect(await store.inbound('task-b')).toEqual([]);
    expect(await store.head()).toBe(3);
  });

  it('a stale expected version reruns the transaction: concurrent increments lose nothing', async () => {
    const store = await open();
    await writeNode(store, doc('task-counter', {summary: '0'}), 0);
    await Promise.all(
      Array.from({length: 20}, () =>
        store.transact(async (tx) => {
          const r = await tx.node('task-counter');
          if (!r) throw new Error('gone');
          const next = {...r.node, summary: String(Number(r.node.summary) + 1)};
          tx.append('node/task-counter', r.version, [
            {type: 'team-node-written', data: {node: next, revision: 'r', op: 'updated', by}},
          ]);
        }),
      ),
    );
    expect(await store.node('task-counter')).toMatchObject({node: {summary: '20'}, version: 21});
  });

  it('an append that can never hold fails with a VersionConflict after a few tries; nothing is written', async () => {
    const store = await open();
    await writeNode(store, doc('task-x'), 0);
    let tries = 0;
    await expect(
      store.transact(async (tx) => {
        tries += 1;
        tx.append('node/task-y', 0, [
          {type: 'team-node-written', data: {node: doc('task-y'), revision: 'r', op: 'created', by}},
        ]);
        tx.append('node/task-x', 0, [
          {type: 'team-node-written', data: {node: doc('task-x'), revision: 'r', op: 'created', by}},
        ]);
      }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(tries).toBeGreaterThan(1);
    expect(await store.node('task-y')).toBeUndefined();
    expect(await store.head()).toBe(1);
  });

  it('a transaction that throws writes nothing; its error reaches the caller', async () => {
    const store = await open();
    await expect(
      store.transact(async (tx) => {
        tx.append('node/task-z', 0, [
          {type: 'team-node-written', data: {node: doc('task-z'), revision: 'r', op: 'created', by}},
        ]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await store.node('task-z')).toBeUndefined();
  });

  it('tokens, credentials, leases and capabilities project alike, and survive a restart', async () => {
    const store = await open();
    await writeNode(store, doc('person-p', {title: 'P'}), 0);
    await writeNode(store, doc('agent-box', {edges: [{type: 'owned-by', to: 'person-p'}]}), 0);
    await store.transact(async (tx) => {
      tx.append(`token/${H(1)}`, 0, [
        {
          type: 'team-token-issued',
          data: {
            hash: H(1),
            kind: 'person',
            person: 'person-p',
            standing: true,
            session: null,
            created: at,
            expires: '2027-01-01T00:00:00.000Z',
            issued_by: 'person-p',
          },
        },
      ]);
      tx.append(`token/${H(2)}`, 0, [
        {
          type: 'team-token-issued',
          data: {
            hash: H(2),
            kind: 'agent',
            agent: 'agent-box',
            standing: false,
            session: null,
            label: 'run',
            created: at,
            expires: '2026-01-08T00:00:00.000Z',
            issued_by: 'person-p',
          },
        },
      ]);
      tx.append('lease/task-l', 0, [
        {
          type: 'team-lease-claimed',
          data: {
            node: 'task-l',
            fence: 1,
            person: 'person-p',
            agent: 'agent-box',
            claimed_at: at,
            expires_at: '2026-01-01T00:45:00.000Z',
          },
        },
        {
          type: 'team-lease-renewed',
          data: {node: 'task-l', expires_at: '2026-01-01T01:00:00.000Z', at, session: 's-1'},
        },
      ]);
      tx.append('caps/agent-box', 0, [
        {
          type: 'team-capabilities-published',
          data: {
            agent: 'agent-box',
            capabilities: {harnesses: ['codex'], reachable_mcp: [], skills: [], plugins: [], deny: []},
            published_at: at,
            last_seen: at,
            published_by: 'person-p',
          },
        },
        {type: 'team-agent-seen', data: {agent: 'agent-box', at: '2026-01-01T00:05:00.000Z'}},
      ]);
    });
    await store.transact(async (tx) => {
      tx.append(`token/${H(2)}`, 1, [{type: 'team-token-bound', data: {hash: H(2), session: 's-1', at}}]);
      tx.append(`token/${H(1)}`, 1, [{type: 'team-token-revoked', data: {hash: H(1), at, by: 'person-p'}}]);
    });

    const check = async (s: TeamStore): Promise<void> => {
      const cred = await s.credential(H(2));
      expect(cred?.token).toMatchObject({kind: 'agent', agent: 'agent-box', session: 's-1', label: 'run', version: 2});
      expect(cred?.agent).toMatchObject({node: {id: 'agent-box'}, owner: 'person-p'});
      expect(cred?.person).toMatchObject({node: {id: 'person-p', title: 'P'}});
      expect((await s.token(H(1)))?.revoked).toBe(at);
      expect((await s.tokens({person: 'person-p'})).map((t) => t.hash)).toEqual([H(1)]);
      expect((await s.tokens({agent: 'agent-box'})).map((t) => t.hash)).toEqual([H(2)]);
      expect((await s.tokens({prefix: H(2).slice(0, 63)})).map((t) => t.hash)).toEqual([H(2)]);
      expect((await s.tokens({})).length).toBe(2);
      expect(await s.credential(H(3))).toBeUndefined();
      expect(await s.lease('task-l')).toEqual({
        node: 'task-l',
        fence: 1,
        version: 2,
        holder: {
          person: 'person-p',
          agent: 'agent-box',
          session: 's-1',
          claimed_at: at,
          expires_at: '2026-01-01T01:00:00.000Z',
        },
      });
      expect(await s.capabilities('agent-box')).toMatchObject({
        last_seen: '2026-01-01T00:05:00.000Z',
        published_at: at,
        version: 2,
      });
      expect(await s.fleet('person-p')).toEqual([expect.objectContaining({agent: 'agent-box', owner: 'person-p'})]);
      expect(await s.fleet('person-q')).toEqual([]);
    };
    await check(store);
    await store.close();
    stores = [];
    await check(await open());
  });

  it('a release keeps the fencing number; the next claim continues from it', async () => {
    const store = await open();
    await store.transact(async (tx) => {
      tx.append('lease/task-f', 0, [
        {
          type: 'team-lease-claimed',
          data: {node: 'task-f', fence: 7, person: 'person-p', claimed_at: at, expires_at: at},
        },
        {type: 'team-lease-released', data: {node: 'task-f', at, by: 'person-p'}},
      ]);
    });
    expect(await store.lease('task-f')).toEqual({node: 'task-f', fence: 7, version: 2});
  });

  it('the fleet of one owner: their published agents in agent order, following a change of owner', async () => {
    const store = await open();
    const agent = (id: string, owner: string) => doc(id, {edges: [{type: 'owned-by', to: owner}]});
    const publish = (id: string) =>
      store.transact(async (tx) => {
        tx.append(`caps/${id}`, 0, [
          {
            type: 'team-capabilities-published',
            data: {
              agent: id,
              capabilities: {harnesses: [], reachable_mcp: [], skills: [], plugins: [], deny: []},
              published_at: at,
              last_seen: at,
              published_by: 'person-p',
            },
          },
        ]);
      });
    for (const [id, owner] of [
      ['agent-c', 'person-p'],
      ['agent-a', 'person-p'],
      ['agent-b', 'person-q'],
      ['agent-unpublished', 'person-p'],
    ] as const)
      await writeNode(store, agent(id, owner), 0);
    for (const id of ['agent-c', 'agent-a', 'agent-b']) await publish(id);
    const ids = async (owner?: string) => (await store.fleet(owner)).map((c) => `${c.agent}:${c.owner}`);
    expect(await ids('person-p')).toEqual(['agent-a:person-p', 'agent-c:person-p']);
    expect((await ids()).sort()).toEqual(['agent-a:person-p', 'agent-b:person-q', 'agent-c:person-p']);
    await writeNode(store, agent('agent-a', 'person-q'), 1);
    expect(await ids('person-p')).toEqual(['agent-c:person-p']);
    expect(await ids('person-q')).toEqual(['agent-a:person-q', 'agent-b:person-q']);
  });

  it('a transaction that loses its race does not make the others in flight run again', async () => {
    const store = await open();
    await writeNode(store, doc('task-hot'), 0);
    const tries = new Map<string, number>();
    const bump = (id: string, expected: number) =>
      store.transact(async (tx) => {
        tries.set(id, (tries.get(id) ?? 0) + 1);
        const current = (await tx.node('task-hot'))?.version ?? 0;
        // Ten writers of their own node, and two of one node, all decided at once.
        if (id.startsWith('task-own')) tx.append(`node/${id}`, expected, [nodeEvent(id)]);
        else tx.append('node/task-hot', current, [nodeEvent('task-hot')]);
      });
    const nodeEvent = (id: string) => ({
      type: 'team-node-written' as const,
      data: {node: doc(id), revision: 'r', op: 'updated' as const, by},
    });
    await Promise.all([
      ...Array.from({length: 10}, (_, i) => bump(`task-own-${i}`, 0)),
      bump('hot-1', 1),
      bump('hot-2', 1),
    ]);
    for (let i = 0; i < 10; i += 1) expect(tries.get(`task-own-${i}`), `task-own-${i}`).toBe(1);
    expect(await store.node('task-hot')).toMatchObject({version: 3});
    expect((tries.get('hot-1') ?? 0) + (tries.get('hot-2') ?? 0)).toBeGreaterThanOrEqual(2);
  });

  it('two stores on one log or database act as one: each sees and respects the other’s writes', async () => {
    const a = await open();
    const b = await open();
    await writeNode(a, doc('task-shared', {summary: 'a'}), 0);
    expect(await b.node('task-shared')).toMatchObject({node: {summary: 'a'}, version: 1});
    await expect(writeNode(b, doc('task-shared', {summary: 'b'}), 0)).rejects.toBeInstanceOf(VersionConflict);
    await writeNode(b, doc('task-shared', {summary: 'b'}), 1);
    expect(await a.node('task-shared')).toMatchObject({node: {summary: 'b'}, version: 2});
  });
});
