import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  adminOf,
  call,
  memberOf,
  startTeamServer,
  storeKinds,
  type Member,
  type TeamServerHandle,
} from '../../../helpers/teamServer.js';

const DAY = 24 * 3600 * 1000;

describe.each(await storeKinds())('identity and tokens (%s store)', (kind) => {
  let server: TeamServerHandle;
  let admin: Member;
  let bob: Member;
  beforeAll(async () => {
    server = await startTeamServer({kind});
    admin = await adminOf(server);
    bob = await memberOf(server, admin, 'Bob Builder');
  });
  afterAll(async () => server.stop());

  it('GET /v1/me echoes the identity, admin only for the steward of the root', async () => {
    const me = await call(server, 'GET', '/v1/me', {token: admin.token});
    expect(me.body).toEqual({
      person: admin.id,
      name: 'Ada Admin',
      email: 'ada.admin@example.com',
      bound: true,
      is_admin: true,
      org: 'local',
    });
    expect((await call(server, 'GET', '/v1/me', {token: bob.token})).body).toMatchObject({
      person: bob.id,
      is_admin: false,
    });
  });

  it('a second init-admin is refused', async () => {
    await expect(adminOf(server, 'Eve')).rejects.toThrow(/has an admin already/);
  });

  it('self-serve PATs: minted once, listed without plaintext, expiry default and cap, revoked by prefix', async () => {
    const minted = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {label: 'laptop'}});
    expect(minted.status).toBe(201);
    expect(minted.body.token).toMatch(/^spor_pat_[0-9A-Za-z]{38}$/);
    expect(minted.body).toMatchObject({person: bob.id, name: 'Bob Builder', label: 'laptop'});
    expect(Date.parse(minted.body.expires) - server.clock.now().getTime()).toBe(365 * DAY);
    const listed = await call(server, 'GET', '/v1/me/tokens', {token: minted.body.token});
    expect(listed.body.count).toBe(2);
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.token);
    expect(listed.body.tokens.map((t: {hash_prefix: string}) => t.hash_prefix)).toContain(minted.body.hash_prefix);

    const short = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {expires: '30d'}});
    expect(Date.parse(short.body.expires) - server.clock.now().getTime()).toBe(30 * DAY);
    for (const expires of ['366d', '0d', '2020-01-01', 'soon']) {
      const bad = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {expires}});
      expect(bad.status, expires).toBe(422);
      expect(bad.body.error.code).toBe('invalid_request');
    }

    // Someone else's prefix is a 404, never a revoke.
    const adminList = await call(server, 'GET', '/v1/me/tokens', {token: admin.token});
    const adminPrefix = adminList.body.tokens[0].hash_prefix;
    expect((await call(server, 'DELETE', `/v1/me/tokens/${adminPrefix}`, {token: bob.token})).status).toBe(404);

    const revoked = await call(server, 'DELETE', `/v1/me/tokens/${minted.body.hash_prefix}`, {token: bob.token});
    expect(revoked.body).toEqual({revoked: true, hash_prefix: minted.body.hash_prefix, oauth_grants_revoked: 0});
    const after = await call(server, 'GET', '/v1/me', {token: minted.body.token});
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
  });

  it('a token records when it was last used (at most every 10 minutes)', async () => {
    const t = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {label: 'used'}});
    const usedAt = server.clock.now().toISOString();
    await call(server, 'GET', '/v1/me', {token: t.body.token});
    const lastUsed = async (): Promise<string | null> =>
      (await call(server, 'GET', '/v1/me/tokens', {token: bob.token})).body.tokens.find(
        (x: {hash_prefix: string}) => x.hash_prefix === t.body.hash_prefix,
      ).last_used;
    // Bookkeeping the request did not wait for: it lands shortly after (a write of its own, which
    // on a busy machine's disk may take a while: the bound only stops a test that never ends).
    await expect.poll(lastUsed, {timeout: 15_000}).toBe(usedAt);
    server.clock.advance(60_000);
    await call(server, 'GET', '/v1/me', {token: t.body.token});
    expect(await lastUsed()).toBe(usedAt);
    server.clock.advance(-60_000);
  });

  it('a token past its expiry is refused on the next request', async () => {
    const t = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {expires: '1d'}});
    expect((await call(server, 'GET', '/v1/me', {token: t.body.token})).status).toBe(200);
    server.clock.advance(DAY);
    const late = await call(server, 'GET', '/v1/me', {token: t.body.token});
    expect(late.status).toBe(401);
    expect(late.body.error.message).toMatch(/expired/);
    server.clock.advance(-DAY);
  });

  it('admin routes: people and tokens, 403 for members', async () => {
    for (const [method, path] of [
      ['GET', '/v1/admin/people'],
      ['GET', '/v1/admin/tokens'],
      ['GET', '/v1/agents?all=1'],
    ] as const)
      expect((await call(server, method, path, {token: bob.token})).status, path).toBe(403);
    const people = await call(server, 'GET', '/v1/admin/people', {token: admin.token});
    expect(people.body.count).toBe(2);
    expect(people.body.people.find((p: {id: string}) => p.id === admin.id)).toMatchObject({is_admin: true});
    expect(people.body.people.find((p: {id: string}) => p.id === bob.id)).toMatchObject({
      is_admin: false,
      status: 'active',
    });

    const dup = await call(server, 'POST', '/v1/admin/people', {
      token: admin.token,
      body: {name: 'Bob again', email: 'bob.builder@example.com'},
    });
    expect(dup.status).toBe(409);
    const badId = await call(server, 'POST', '/v1/admin/people', {
      token: admin.token,
      body: {name: 'C', email: 'c@example.com', id: 'Carol'},
    });
    expect(badId.status).toBe(422);
    const invited = await call(server, 'POST', '/v1/admin/people', {
      token: admin.token,
      body: {name: 'Carol', email: 'carol@example.com', id: 'person-carol', roles: ['dev'], invite: true},
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({id: 'person-carol', roles: ['dev'], org_invitation: {status: 'failed'}});

    const noSuch = await call(server, 'POST', '/v1/admin/tokens', {token: admin.token, body: {person: 'person-zed'}});
    expect(noSuch.status).toBe(404);
    const carolPat = await call(server, 'POST', '/v1/admin/tokens', {
      token: admin.token,
      body: {person: 'person-carol', expires: '7d'},
    });
    expect(carolPat.status).toBe(201);
    expect(carolPat.body).toMatchObject({person: 'person-carol', name: 'Carol', email: 'carol@example.com'});
    const all = await call(server, 'GET', '/v1/admin/tokens', {token: admin.token});
    expect(all.body.tokens.some((t: {person: string}) => t.person === 'person-carol')).toBe(true);
    expect(JSON.stringify(all.body)).not.toContain(carolPat.body.token);

    // A short prefix is refused by the path pattern; an ambiguous one would be a 409.
    expect((await call(server, 'DELETE', '/v1/admin/tokens/abc', {token: admin.token})).status).toBe(422);
    const gone = await call(server, 'DELETE', `/v1/admin/tokens/${carolPat.body.hash_prefix}`, {token: admin.token});
    expect(gone.body).toEqual({revoked: true, hash_prefix: carolPat.body.hash_prefix});
    expect((await call(server, 'GET', '/v1/me', {token: carolPat.body.token})).status).toBe(401);
  });

  it('offboarding revokes every token of the person and of their agents; never yourself', async () => {
    const dan = await memberOf(server, admin, 'Dan');
    await call(server, 'POST', '/v1/agents', {token: dan.token, body: {label: 'dan box'}});
    const agentPat = await call(server, 'POST', '/v1/agents/agent-dan-box/token', {
      token: dan.token,
      body: {standing: true},
    });
    expect((await call(server, 'DELETE', `/v1/admin/people/${admin.id}`, {token: admin.token})).status).toBe(422);
    expect((await call(server, 'DELETE', '/v1/admin/people/agent-x', {token: admin.token})).status).toBe(422);
    expect((await call(server, 'DELETE', '/v1/admin/people/person-nobody', {token: admin.token})).status).toBe(404);
    const off = await call(server, 'DELETE', `/v1/admin/people/${dan.id}`, {token: admin.token});
    expect(off.body).toEqual({offboarded: dan.id, tokens_revoked: 2, oauth_grants_revoked: 0});
    expect((await call(server, 'GET', '/v1/me', {token: dan.token})).status).toBe(401);
    expect((await call(server, 'GET', '/v1/me', {token: agentPat.body.token})).status).toBe(401);
    // The node stays: it is what attributions point at.
    const people = await call(server, 'GET', '/v1/admin/people', {token: admin.token});
    expect(people.body.people.find((p: {id: string}) => p.id === dan.id)).toMatchObject({active_tokens: 0});
  });

  it('agents: self-serve create, admin create for another, list own, ?all for admins', async () => {
    const made = await call(server, 'POST', '/v1/agents', {token: bob.token, body: {label: 'Bob Laptop'}});
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      id: 'agent-bob-laptop',
      owner: bob.id,
      spiffe: `spiffe://spor.local/person/${bob.id.replace(/^person-/, '')}/agent/bob-laptop`,
      status: 'active',
    });
    expect(made.body.revision).toMatch(/^[0-9a-f]{40}$/);
    expect((await call(server, 'POST', '/v1/agents', {token: bob.token, body: {label: 'bob laptop'}})).status).toBe(
      409,
    );
    expect((await call(server, 'POST', '/v1/agents', {token: bob.token, body: {label: '!!!'}})).status).toBe(422);
    expect(
      (await call(server, 'POST', '/v1/admin/agents', {token: bob.token, body: {label: 'x', owner: admin.id}})).status,
    ).toBe(403);
    const forBob = await call(server, 'POST', '/v1/admin/agents', {
      token: admin.token,
      body: {label: 'ci', owner: bob.id},
    });
    expect(forBob.body).toMatchObject({id: 'agent-ci', owner: bob.id});
    const mine = await call(server, 'GET', '/v1/agents', {token: bob.token});
    expect(mine.body.agents.map((a: {id: string}) => a.id)).toEqual(['agent-bob-laptop', 'agent-ci']);
    expect((await call(server, 'GET', '/v1/agents', {token: admin.token})).body.count).toBe(0);
    expect((await call(server, 'GET', '/v1/agents?all=1', {token: admin.token})).body.count).toBeGreaterThanOrEqual(2);
  });

  it('agent tokens: owner-gated, standing ones listed and revoked, session ones bound once', async () => {
    await call(server, 'POST', '/v1/agents', {token: bob.token, body: {label: 'runner'}});
    expect((await call(server, 'POST', '/v1/agents/agent-runner/token', {token: admin.token, body: {}})).status).toBe(
      403,
    );
    expect((await call(server, 'POST', '/v1/agents/agent-nope/token', {token: bob.token, body: {}})).status).toBe(404);
    expect((await call(server, 'POST', '/v1/agents/runner/token', {token: bob.token, body: {}})).status).toBe(422);

    const standing = await call(server, 'POST', '/v1/agents/agent-runner/token', {
      token: bob.token,
      body: {standing: true, label: 'web'},
    });
    expect(standing.status).toBe(201);
    expect(standing.body).toMatchObject({agent: 'agent-runner', owner: bob.id, label: 'web', standing: true});
    expect(
      (
        await call(server, 'POST', '/v1/agents/agent-runner/token', {
          token: bob.token,
          body: {standing: true, session: 's1'},
        })
      ).status,
    ).toBe(422);

    const session = await call(server, 'POST', '/v1/agents/agent-runner/token', {token: bob.token, body: {}});
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({agent: 'agent-runner', session: null});
    expect(Date.parse(session.body.expires_at) - server.clock.now().getTime()).toBe(7 * DAY);
    expect(
      (await call(server, 'POST', '/v1/agents/agent-runner/token', {token: bob.token, body: {expires: '8d'}})).status,
    ).toBe(422);

    // An agent token cannot mint tokens or create agents.
    expect((await call(server, 'POST', '/v1/me/tokens', {token: session.body.token, body: {}})).status).toBe(403);
    expect((await call(server, 'POST', '/v1/agents', {token: session.body.token, body: {label: 'y'}})).status).toBe(
      403,
    );
    const me = await call(server, 'GET', '/v1/me', {token: session.body.token});
    expect(me.body).toMatchObject({person: bob.id, agent: 'agent-runner', session: null, is_admin: false});

    const list = await call(server, 'GET', '/v1/agents/agent-runner/tokens', {token: bob.token});
    expect(list.body.count).toBe(1);
    expect(list.body.tokens[0]).toMatchObject({hash_prefix: standing.body.hash_prefix, standing: true, label: 'web'});

    // Late session binding: only by an agent token, write-once.
    expect((await call(server, 'POST', '/v1/agents/session', {token: bob.token, body: {session: 's-1'}})).status).toBe(
      403,
    );
    expect(
      (await call(server, 'POST', '/v1/agents/session', {token: session.body.token, body: {session: 'bad session'}}))
        .status,
    ).toBe(422);
    const bound = await call(server, 'POST', '/v1/agents/session', {
      token: session.body.token,
      body: {session: 'sess-123'},
    });
    expect(bound.body).toEqual({ok: true, agent: 'agent-runner', session: 'sess-123'});
    const again = await call(server, 'POST', '/v1/agents/session', {
      token: session.body.token,
      body: {session: 'sess-123'},
    });
    expect(again.body).toEqual({ok: true, agent: 'agent-runner', session: 'sess-123', unchanged: true});
    const other = await call(server, 'POST', '/v1/agents/session', {
      token: session.body.token,
      body: {session: 'sess-456'},
    });
    expect(other.status).toBe(409);

    // A session token is neither listed nor revocable as a standing one.
    const sessionPrefix = (await call(server, 'GET', '/v1/admin/tokens', {token: admin.token})).body.tokens.find(
      (t: {agent?: string; standing: boolean}) => t.agent === 'agent-runner' && !t.standing,
    );
    expect(sessionPrefix).toBeUndefined();
    const revoked = await call(server, 'DELETE', `/v1/agents/agent-runner/tokens/${standing.body.hash_prefix}`, {
      token: bob.token,
    });
    expect(revoked.body).toMatchObject({revoked: true, hash_prefix: standing.body.hash_prefix});
    expect((await call(server, 'GET', '/v1/me', {token: standing.body.token})).status).toBe(401);
  });

  it('writes under an agent token read "agent on behalf of person", with the bound session', async () => {
    await call(server, 'POST', '/v1/agents', {token: bob.token, body: {label: 'writer'}});
    const t = await call(server, 'POST', '/v1/agents/agent-writer/token', {token: bob.token, body: {}});
    const put = (id: string) =>
      call(server, 'POST', '/v1/nodes', {
        token: t.body.token,
        body: {nodes: [{node: {id, type: 'task', title: id, summary: 'x', author: 'person-forged'}}]},
      });
    await put('task-before-bind');
    await call(server, 'POST', '/v1/agents/session', {token: t.body.token, body: {session: 'run-9'}});
    await put('task-after-bind');
    const before = await call(server, 'GET', '/v1/nodes/task-before-bind', {token: bob.token});
    expect(before.body).toMatchObject({author: bob.id, authored_via: 'dispatch', authored_by_agent: 'agent-writer'});
    expect(before.body.session).toBeUndefined();
    const after = await call(server, 'GET', '/v1/nodes/task-after-bind', {token: bob.token});
    expect(after.body).toMatchObject({
      author: bob.id,
      authored_via: 'dispatch',
      authored_by_agent: 'agent-writer',
      session: 'run-9',
    });
    const mine = await call(server, 'GET', '/v1/nodes/task-after-bind', {token: bob.token});
    expect(mine.body.author).not.toBe('person-forged');
  });

  it('no token plaintext in the event log or the request log', async () => {
    const t = await call(server, 'POST', '/v1/me/tokens', {token: bob.token, body: {}});
    await call(server, 'GET', '/v1/me', {token: t.body.token});
    expect(server.log.text).toContain('"path":"/v1/me"');
    for (const token of [t.body.token, bob.token, admin.token]) {
      expect(server.log.text).not.toContain(token);
      if (kind === 'embedded') expect(readFileSync(join(server.sporHome, 'events.jsonl'), 'utf8')).not.toContain(token);
    }
  });
});
