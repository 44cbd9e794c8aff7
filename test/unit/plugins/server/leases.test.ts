import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  adminOf,
  call,
  memberOf,
  startTeamServer,
  storeKinds,
  type Member,
  type TeamServerHandle,
} from '../../../helpers/teamServer.js';

const TTL = 45 * 60_000;

describe.each(await storeKinds())('claims and leases (%s store)', (kind) => {
  let server: TeamServerHandle;
  let a: Member;
  let b: Member;
  let n = 0;
  /** A fresh task node for each test. */
  const task = async (): Promise<string> => {
    const id = `task-lease-${(n += 1)}`;
    const put = await call(server, 'POST', '/v1/nodes', {
      token: a.token,
      body: {nodes: [{node: {id, type: 'task', title: id, summary: 'work'}}]},
    });
    expect(put.status).toBe(200);
    return id;
  };
  const post = (who: Member, path: string, body?: unknown) => call(server, 'POST', path, {token: who.token, body});

  beforeAll(async () => {
    server = await startTeamServer({kind});
    a = await adminOf(server, 'Alice');
    b = await memberOf(server, a, 'Bruno');
  });
  afterAll(async () => server.stop());

  it('A claims; renews at TTL−1 ms; the lease lapses a TTL later; B claims with a higher fence; A learns it was B', async () => {
    const id = await task();
    const claimed = await post(a, `/v1/nodes/${id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      ok: true,
      status: 'claimed',
      edge: {type: 'assigned', to: a.id, written: true},
    });
    const t0 = server.clock.now().getTime();
    expect(claimed.body.lease).toMatchObject({node_id: id, by: a.id, session: null, expires: t0 + TTL, fence: 1});

    server.clock.advance(TTL - 1);
    const renewed = await post(a, `/v1/nodes/${id}/renew`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.lease.expires).toBe(t0 + TTL - 1 + TTL);

    // Held: B is refused, with the holder and the expiry named.
    const refused = await post(b, `/v1/nodes/${id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(a.id);
    expect(refused.body.error.details[0]).toMatchObject({holder: a.id, expires_at: renewed.body.lease.expires_at});

    server.clock.advance(TTL);
    const taken = await post(b, `/v1/nodes/${id}/claim`);
    expect(taken.status).toBe(200);
    expect(taken.body.lease).toMatchObject({by: b.id, fence: 2});
    expect(taken.body.lease.fence).toBeGreaterThan(claimed.body.lease.fence);

    const late = await post(a, `/v1/nodes/${id}/renew`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(b.id);
    expect(late.body.error.details[0]).toMatchObject({holder: b.id});

    // The durable edge follows the holder: A's lapsed one was retired.
    const node = await call(server, 'GET', `/v1/nodes/${id}`, {token: a.token});
    expect(node.body.edges.filter((e: {type: string}) => e.type === 'assigned')).toEqual([
      {type: 'assigned', to: b.id},
    ]);
    expect(node.body.lease).toMatchObject({by: b.id, fence: 2});
  });

  it('a lease is live until the instant it expires, not at it', async () => {
    const id = await task();
    await post(a, `/v1/nodes/${id}/claim`);
    server.clock.advance(TTL);
    const lapsed = await post(a, `/v1/nodes/${id}/renew`);
    expect(lapsed.status).toBe(409);
    expect(lapsed.body.error.code).toBe('lease_expired');
    // Claiming again starts a new lease with the next fence.
    const again = await post(a, `/v1/nodes/${id}/claim`);
    expect(again.body).toMatchObject({status: 'claimed', lease: {fence: 2}});
  });

  it('re-claiming your own live claim renews it (same fence); a session binds it', async () => {
    const id = await task();
    const first = await post(a, `/v1/nodes/${id}/claim`);
    server.clock.advance(60_000);
    const second = await post(a, `/v1/nodes/${id}/claim`, {session: 'sess-a'});
    expect(second.body).toMatchObject({status: 'renewed', lease: {fence: first.body.lease.fence, session: 'sess-a'}});
    expect(second.body.lease.expires).toBe(server.clock.now().getTime() + TTL);
    const renew = await post(a, `/v1/nodes/${id}/renew`, {session: 'sess-b'});
    expect(renew.body.lease.session).toBe('sess-b');
  });

  it('extend stretches the lease, capped by policy and never shortening it', async () => {
    const id = await task();
    await post(a, `/v1/nodes/${id}/claim`);
    const now = server.clock.now().getTime();
    const more = await post(a, `/v1/nodes/${id}/extend`, {ms: 60 * 60_000});
    expect(more.body).toMatchObject({ok: true, status: 'extended'});
    expect(more.body.lease.expires).toBe(now + TTL + 60 * 60_000);
    expect(more.body.capped_to_max).toBeUndefined();
    const capped = await post(a, `/v1/nodes/${id}/extend`, {ms: 24 * 3600_000});
    expect(capped.body).toMatchObject({capped_to_max: true, claim_ttl_max_ms: server.policy.claimTtlMaxMs});
    expect(capped.body.lease.expires).toBe(now + server.policy.claimTtlMaxMs);
    // A renew after an extend keeps the later end.
    expect((await post(a, `/v1/nodes/${id}/renew`)).body.lease.expires).toBe(now + server.policy.claimTtlMaxMs);
    for (const ms of [0, -5, 1.5, '60000'])
      expect((await post(a, `/v1/nodes/${id}/extend`, {ms})).status, String(ms)).toBe(422);
    const theirs = await post(b, `/v1/nodes/${id}/extend`, {ms: 1000});
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe('lease_lost');
    expect(theirs.body.error.message).toContain(a.id);
  });

  it('release is idempotent, retires the assigned edge, and refuses someone else’s live claim', async () => {
    const id = await task();
    expect((await post(a, `/v1/nodes/${id}/release`)).body).toMatchObject({ok: true, released: false});
    await post(a, `/v1/nodes/${id}/claim`);
    const theirs = await post(b, `/v1/nodes/${id}/release`);
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.message).toContain(a.id);
    expect((await post(a, `/v1/nodes/${id}/release`)).body).toMatchObject({
      ok: true,
      status: 'released',
      released: true,
      edge_removed: true,
    });
    expect((await post(a, `/v1/nodes/${id}/release`)).body).toMatchObject({ok: true, released: false});
    const node = await call(server, 'GET', `/v1/nodes/${id}`, {token: a.token});
    expect(node.body.edges).toEqual([]);
    expect(node.body.lease).toBeUndefined();
    // Free again: B may claim it, with the next fence.
    expect((await post(b, `/v1/nodes/${id}/claim`)).body.lease).toMatchObject({by: b.id, fence: 2});
  });

  it('claims by an agent token hold for its owner and assign the agent', async () => {
    const id = await task();
    await post(b, '/v1/agents', {label: 'bruno box'});
    const t = await post(b, '/v1/agents/agent-bruno-box/token', {});
    const claimed = await call(server, 'POST', `/v1/nodes/${id}/claim`, {token: t.body.token});
    expect(claimed.body).toMatchObject({lease: {by: b.id, agent: 'agent-bruno-box'}, edge: {to: 'agent-bruno-box'}});
    // The owner's own token may renew it (person-scoped).
    expect((await post(b, `/v1/nodes/${id}/renew`)).status).toBe(200);
    expect((await post(a, `/v1/nodes/${id}/claim`)).status).toBe(409);
  });

  it('unknown nodes are 404; a malformed id is 422', async () => {
    expect((await post(a, '/v1/nodes/task-nothing-here/claim')).status).toBe(404);
    expect((await post(a, '/v1/nodes/Not_An_Id/claim')).status).toBe(422);
  });

  it('setting a task in progress claims it, and refuses when someone else holds it', async () => {
    const id = await task();
    const set = await post(a, `/v1/nodes/${id}/status`, {status: 'in-progress'});
    expect(set.body).toMatchObject({status: 'updated', id, lease: {by: a.id}});
    const theirs = await post(b, `/v1/nodes/${id}/status`, {status: 'in-progress'});
    expect(theirs.status).toBe(409);
    const node = await call(server, 'GET', `/v1/nodes/${id}`, {token: a.token});
    expect(node.body.status).toBe('in-progress');
  });
});
