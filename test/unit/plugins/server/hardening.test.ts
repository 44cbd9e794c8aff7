import {connect} from 'node:net';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {manualClock} from '../../../helpers/fakeClock.js';
import {
  adminOf,
  call,
  memberOf,
  startTeamServer,
  storeKinds,
  type Member,
  type TeamServerHandle,
} from '../../../helpers/teamServer.js';

const DAY = 24 * 3600_000;

/** A route's path with its parameters filled in. */
const pathOf = (url: string, value = 'x1'): string => url.replace(/:[a-z_]+/g, value);

describe.each(await storeKinds())('every route refuses bad credentials (%s store)', (kind) => {
  let server: TeamServerHandle;
  let admin: Member;
  const bad: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTeamServer({kind});
    admin = await adminOf(server);
    const expiring = await call(server, 'POST', '/v1/me/tokens', {token: admin.token, body: {expires: '1d'}});
    const revoked = await call(server, 'POST', '/v1/me/tokens', {token: admin.token, body: {}});
    await call(server, 'DELETE', `/v1/me/tokens/${revoked.body.hash_prefix}`, {token: admin.token});
    const last = admin.token.at(-1) === 'A' ? 'B' : 'A';
    Object.assign(bad, {
      malformed: 'spor_pat_short',
      'wrong checksum': `${admin.token.slice(0, -1)}${last}`,
      expired: expiring.body.token,
      revoked: revoked.body.token,
      'not a bearer': admin.token,
    });
  });
  afterAll(async () => server.stop());

  it('401 for no token, a malformed, wrong-checksum, expired or revoked one, on every route but the allowlist', async () => {
    const routes = server.routes.filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(30);
    expect(server.routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/health']);
    server.clock.advance(DAY);
    try {
      for (const r of routes) {
        const path = pathOf(r.url);
        const body = r.method === 'GET' ? undefined : {};
        const none = await call(server, r.method, path, {body});
        expect(none.status, `${r.method} ${r.url} without a token`).toBe(401);
        expect(none.body.error.code).toBe('unauthorized');
        for (const [what, token] of Object.entries(bad)) {
          const headers: Record<string, string> = what === 'not a bearer' ? {authorization: `Token ${token}`} : {};
          const res = await call(server, r.method, path, {
            body,
            headers,
            ...(what === 'not a bearer' ? {} : {token}),
          });
          expect(res.status, `${r.method} ${r.url} with a ${what} token`).toBe(401);
          expect(res.body).toEqual({error: {code: 'unauthorized', message: expect.any(String), details: []}});
        }
      }
    } finally {
      server.clock.advance(-DAY);
    }
    expect((await call(server, 'GET', '/v1/health')).status).toBe(200);
  });

  it('a token whose checksum does not match is refused without a lookup', async () => {
    const store = server.store as unknown as {credential: (hash: string) => Promise<unknown>};
    const real = store.credential.bind(store);
    let lookups = 0;
    store.credential = (hash) => {
      lookups += 1;
      return real(hash);
    };
    try {
      expect((await call(server, 'GET', '/v1/me', {token: bad['wrong checksum']})).status).toBe(401);
      expect(lookups).toBe(0);
      expect((await call(server, 'GET', '/v1/me', {token: admin.token})).status).toBe(200);
      expect(lookups).toBe(1);
    } finally {
      store.credential = real;
    }
  });

  // The server remembers what it verified of a token in use (http/authCache.ts): nothing of it
  // may outlive the token's expiry, its revocation, or a change to its person.
  it('a token in use is refused the moment it expires, is revoked, or its person is offboarded', async () => {
    const me = (token: string) => call(server, 'GET', '/v1/me', {token});
    const soon = await call(server, 'POST', '/v1/me/tokens', {token: admin.token, body: {expires: '1d'}});
    expect((await me(soon.body.token)).status).toBe(200);
    server.clock.advance(DAY);
    try {
      expect((await me(soon.body.token)).status).toBe(401);
    } finally {
      server.clock.advance(-DAY);
    }
    expect((await me(soon.body.token)).status).toBe(200);
    await call(server, 'DELETE', `/v1/me/tokens/${soon.body.hash_prefix}`, {token: admin.token});
    expect((await me(soon.body.token)).status).toBe(401);

    const eve = await memberOf(server, admin, 'Eve Auth');
    await call(server, 'POST', '/v1/agents', {token: eve.token, body: {label: 'eve box'}});
    const agent = await call(server, 'POST', '/v1/agents/agent-eve-box/token', {token: eve.token, body: {}});
    expect((await me(agent.body.token)).body).toMatchObject({person: eve.id, agent: 'agent-eve-box', session: null});
    await call(server, 'POST', '/v1/agents/session', {token: agent.body.token, body: {session: 'run-auth'}});
    expect((await me(agent.body.token)).body).toMatchObject({agent: 'agent-eve-box', session: 'run-auth'});
    expect((await me(eve.token)).body).toMatchObject({person: eve.id, is_admin: false});
    await call(server, 'DELETE', `/v1/admin/people/${eve.id}`, {token: admin.token});
    expect((await me(eve.token)).status).toBe(401);
    expect((await me(agent.body.token)).status).toBe(401);
  });

  it('fuzzed bodies, params and queries never make a 5xx or bring the server down', async () => {
    const routes = server.routes.filter((r) => !r.public);
    const junk = fc.oneof(
      fc.jsonValue({maxDepth: 3}),
      fc.dictionary(
        fc.constantFrom(
          'label',
          'name',
          'email',
          'nodes',
          'session',
          'ms',
          'type',
          'to',
          'status',
          'priority',
          'harnesses',
          'capabilities',
          'expires',
          'standing',
          'person',
          '__proto__',
          'constructor',
          'node',
          'id',
        ),
        fc.jsonValue({maxDepth: 2}),
      ),
    );
    const param = fc.oneof(
      fc.constantFrom('agent-x', 'person-x', 'task-x', 'profile-x', 'abcdef0123', '..', '%2e%2e', 'x'.repeat(300)),
      fc.string({maxLength: 20}).map(encodeURIComponent),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc
        .dictionary(
          fc.constantFrom('limit', 'offset', 'type', 'owner', 'max_age', 'all', 'titles', 'x'),
          fc.string({maxLength: 10}),
        )
        .map((d) => `?${new URLSearchParams(d).toString()}`),
    );
    const seen = new Set<number>();
    // Every route gets its own runs (a draw over all of them could miss one), each seeded.
    for (const [i, r] of routes.entries())
      await fc.assert(
        fc.asyncProperty(param, query, junk, async (p, q, body) => {
          const res = await call(server, r.method, `${pathOf(r.url, p)}${q}`, {
            token: admin.token,
            ...(r.method === 'GET' ? {} : {body: JSON.stringify(body)}),
          });
          seen.add(res.status);
          // 501 is the contract's own answer for the routes this server does not implement.
          if (res.status !== 501) expect(res.status, `${r.method} ${r.url} ${JSON.stringify(body)}`).toBeLessThan(500);
          expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
        }),
        {numRuns: kind === 'embedded' ? 8 : 4, seed: 20260101 + i},
      );
    // The fuzzing reached the handlers: refused for its content, never held back by the rate limit.
    expect(seen.has(429)).toBe(false);
    expect([...seen].some((s) => s === 422)).toBe(true);
    expect((await call(server, 'GET', '/v1/me', {token: admin.token})).status).toBe(200);
  });
});

describe('limits and refusals', () => {
  let server: TeamServerHandle;
  let admin: Member;
  let bea: Member;
  beforeAll(async () => {
    server = await startTeamServer({limits: {rateLimit: {max: 40, windowMs: 60_000}}, clock: manualClock()});
    admin = await adminOf(server);
    bea = await memberOf(server, admin, 'Bea');
  });
  afterAll(async () => server.stop());

  it('a body over 1 MiB is 413 too_large', async () => {
    const big = {label: 'x'.repeat(1 << 20)};
    const res = await call(server, 'POST', '/v1/agents', {token: bea.token, body: big});
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('too_large');
  });

  it('unknown keys, __proto__ and constructor keys are refused; nothing is written', async () => {
    const extra = await call(server, 'POST', '/v1/agents', {token: bea.token, body: {label: 'a', owner: admin.id}});
    expect(extra.status).toBe(422);
    expect(extra.body.error).toMatchObject({code: 'invalid_request', details: [{where: 'body'}]});
    for (const raw of ['{"label":"b","__proto__":{"admin":true}}', '{"label":"c","constructor":{"prototype":{}}}']) {
      const res = await call(server, 'POST', '/v1/agents', {token: bea.token, body: raw});
      expect(res.status, raw).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await call(server, 'POST', '/v1/agents', {token: bea.token, body: '{"label":'})).status).toBe(400);
    expect((await call(server, 'GET', '/v1/agents', {token: bea.token})).body.count).toBe(0);
  });

  it('unknown routes are the contract’s 404 envelope', async () => {
    const res = await call(server, 'GET', '/v1/nothing', {token: bea.token});
    expect(res).toMatchObject({status: 404, body: {error: {code: 'not_found'}}});
  });

  it('past the per-token rate, 429 rate_limited with Retry-After; other tokens are not held back', async () => {
    let last = await call(server, 'GET', '/v1/me', {token: bea.token});
    for (let i = 0; i < 60 && last.status !== 429; i += 1)
      last = await call(server, 'GET', '/v1/me', {token: bea.token});
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('rate_limited');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(server, 'GET', '/v1/me', {token: admin.token})).status).toBe(200);
  });

  it('a request whose headers never end is cut off (headers timeout)', async () => {
    const quick = await startTeamServer({limits: {headersTimeoutMs: 100, requestTimeoutMs: 200}});
    try {
      // Node checks pending connections periodically; the server must close this one on its own.
      const closed = await new Promise<string>((resolve) => {
        const socket = connect(quick.port, '127.0.0.1', () => socket.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n'));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      expect(closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await quick.stop();
    }
  });
});
