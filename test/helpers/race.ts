import {expect} from 'vitest';
import {call, type Member} from './http.js';

/** Deterministic shuffling (a tiny LCG), so a failing race can be replayed. */
const shuffled = <T>(items: ReadonlyArray<T>, seed: number): Array<T> => {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

/**
 * 50 clients race to claim 200 nodes: every node is tried by `tries` clients (in their own random
 * order, all at once), each client through one of `servers`. Five racers a node keep every claim
 * contested (1,000 claims, 800 of them refused) at half the requests of ten: on a busy disk each
 * client's claims wait for group commits one after another, and that time is the test's length. Checks that every node was won by
 * exactly one client, that every loser was told who won, and that the leases say so too.
 */
export const claimRace = async (
  servers: ReadonlyArray<{url: string}>,
  clients: ReadonlyArray<Member>,
  nodes: ReadonlyArray<string>,
  tries = 5,
): Promise<void> => {
  const plan = new Map<number, Array<string>>();
  nodes.forEach((node, n) => {
    for (const c of shuffled(
      clients.map((_, i) => i),
      n + 1,
    ).slice(0, tries))
      plan.set(c, [...(plan.get(c) ?? []), node]);
  });
  const winners = new Map<string, Array<string>>();
  const losers: Array<{node: string; told: string}> = [];
  await Promise.all(
    clients.map(async (client, i) => {
      const server = servers[i % servers.length] as {url: string};
      for (const node of shuffled(plan.get(i) ?? [], i + 7)) {
        const res = await call(server, 'POST', `/v1/nodes/${node}/claim`, {token: client.token});
        if (res.status === 200) {
          expect(res.body.status).toBe('claimed');
          winners.set(node, [...(winners.get(node) ?? []), client.id]);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(409);
          losers.push({node, told: res.body.error.details[0].holder});
        }
      }
    }),
  );
  expect(winners.size).toBe(nodes.length);
  for (const node of nodes) expect(winners.get(node), node).toHaveLength(1);
  expect(losers).toHaveLength(nodes.length * (tries - 1));
  for (const l of losers) expect(l.told).toBe(winners.get(l.node)?.[0]);
  // Every server reads the same holders.
  for (const server of servers)
    for (const node of nodes.slice(0, 20)) {
      const got = await call(server, 'GET', `/v1/nodes/${node}`, {token: clients[0]?.token});
      expect(got.body.lease.by).toBe(winners.get(node)?.[0]);
    }
};

/** `count` task nodes, created in one batch. */
export const seedTasks = async (server: {url: string}, token: string, count: number): Promise<Array<string>> => {
  const ids = Array.from({length: count}, (_, i) => `task-race-${i}`);
  const res = await call(server, 'POST', '/v1/nodes', {
    token,
    body: {nodes: ids.map((id) => ({node: {id, type: 'task', title: id, summary: 'race'}}))},
  });
  expect(res.status).toBe(200);
  return ids;
};
