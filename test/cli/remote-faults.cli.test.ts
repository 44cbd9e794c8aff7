import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';

// Client faults: a tiny raw HTTP server on 127.0.0.1 that answers like a team server until told
// to misbehave on one route (never answer, reset the connection, 5xx, 429 with Retry-After). The
// CLI must say what happened, and never launch a run whose claim failed.

type Fault =
  'hang' | 'reset' | {status: number; body?: unknown; headers?: Record<string, string>; raw?: string} | undefined;

interface Seen {
  method: string;
  path: string;
  at: number;
  body: unknown;
}

interface Fake {
  url: string;
  seen: Array<Seen>;
  /** Faults per `METHOD /path`, one per call in order; the last one repeats. */
  faults: Map<string, Array<Fault>>;
  close(): Promise<void>;
}

const PERSON = 'person-fay';
const lease = (node: string, session: string | null) => {
  const now = Date.now();
  return {
    node_id: node,
    by: PERSON,
    session,
    claimed_at: new Date(now).toISOString(),
    expires: now + 45 * 60_000,
    expires_at: new Date(now + 45 * 60_000).toISOString(),
    fence: 1,
  };
};

/** What a well-behaved team server answers (just enough of the contract for these flows). */
const normal = (method: string, path: string, body: Record<string, unknown>): {status: number; body: unknown} => {
  let m: RegExpExecArray | null;
  if (method === 'GET' && path === '/v1/me')
    return {status: 200, body: {person: PERSON, name: 'Fay', email: 'f@x', bound: true, is_admin: false, org: 'local'}};
  if ((m = /^\/v1\/nodes\/([^/]+)\/(claim|renew|extend)$/.exec(path)))
    return {
      status: 200,
      body: {ok: true, status: m[2] === 'claim' ? 'claimed' : 'renewed', lease: lease(m[1] as string, null)},
    };
  if (/^\/v1\/nodes\/[^/]+\/release$/.test(path))
    return {status: 200, body: {ok: true, status: 'released', released: true}};
  if ((m = /^\/v1\/agents\/([^/]+)\/token$/.exec(path)))
    return {
      status: 201,
      body: {token: 'spor_pat_fakeRunToken', expires_at: '2030-01-01T00:00:00Z', agent: m[1], session: null},
    };
  if ((m = /^\/v1\/agents\/([^/]+)\/capabilities$/.exec(path))) {
    if (method === 'GET')
      return {
        status: 404,
        body: {error: {code: 'not_found', message: `agent '${m[1]}' has published no capabilities`}},
      };
    const caps = {harnesses: [], reachable_mcp: [], skills: [], plugins: [], deny: [], ...body};
    const at = new Date().toISOString();
    return {
      status: 200,
      body: {agent: m[1], capabilities: caps, published_at: at, last_seen: at, published_by: PERSON},
    };
  }
  if (path === '/v1/agents/session') return {status: 200, body: {ok: true, agent: 'agent-fay', session: body.session}};
  return {status: 404, body: {error: {code: 'not_found', message: `no route ${method} ${path}`}}};
};

const fakes: Array<Fake> = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

const startFake = async (): Promise<Fake> => {
  const seen: Array<Seen> = [];
  const faults = new Map<string, Array<Fault>>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const method = req.method ?? 'GET';
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        /* the client sent no JSON */
      }
      seen.push({method, path, at: Date.now(), body});
      const queue = faults.get(`${method} ${path}`);
      const fault = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      if (fault === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      const answer = fault ?? normal(method, path, body);
      res.writeHead(answer.status, {'content-type': 'application/json', ...(fault?.headers ?? {})});
      res.end(fault?.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const {port} = server.address() as {port: number};
  const fake: Fake = {
    url: `http://127.0.0.1:${port}`,
    seen,
    faults,
    close: () =>
      new Promise((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  fakes.push(fake);
  return fake;
};

// The client's timeout is short only where the fake hangs on purpose: a 0.5 s bound on a server
// that does answer failed a run on a busy machine.
const SHORT_TIMEOUT = {SPOR_REMOTE_TIMEOUT: '500ms'};

const machine = async (fake: Fake) => {
  const m = stubMachine({
    SPOR_SERVER: fake.url,
    SPOR_TOKEN: 'spor_pat_theDispatchersOwnToken',
    SPOR_REMOTE_TIMEOUT: '30s',
    SPOR_AGENT_CURRENT: 'agent-fay',
  });
  await m.spor(['repos', 'add', 'web', gitRepo('web')]);
  await m.spor(['add', 'fix it', '--id', 'task-f', '--repo', 'web']);
  return m;
};

const calls = (fake: Fake, method: string, path: string): Array<Seen> =>
  fake.seen.filter((s) => s.method === method && s.path === path);

/** Nothing launched: no harness ran, and the run ended failed_launch at the `claim` step. */
const nothingLaunched = (m: Awaited<ReturnType<typeof machine>>): void => {
  expect(received(m.rec)).toEqual([]);
  const ended = readLog(m.home).filter((e) => e.type === 'run-ended');
  expect(ended.map((e) => [(e.data as {state: string}).state, (e.data as {signal: string}).signal])).toEqual([
    ['failed_launch', 'claim'],
  ]);
};

describe('client faults on claim', () => {
  const cases: Array<[string, Fault, RegExp]> = [
    ['a timeout', 'hang', /did not answer POST \/v1\/nodes\/task-f\/claim within 0\.5s/],
    [
      'a 5xx',
      {status: 503, body: {error: {code: 'ingestion_unavailable', message: 'down for maintenance'}}},
      /503 ingestion_unavailable: down for maintenance/,
    ],
    ['a 5xx without an envelope', {status: 502, raw: '<html>bad gateway</html>'}, /502 internal: no error envelope/],
    [
      'a connection reset',
      'reset',
      /cannot reach the team server at http:\/\/127\.0\.0\.1:\d+ \(POST \/v1\/nodes\/task-f\/claim\): (the connection was reset|the server closed the connection)/,
    ],
  ];
  for (const [what, fault, says] of cases) {
    it(`${what}: spor claim says so; spor dispatch refuses and launches nothing`, async () => {
      const fake = await startFake();
      fake.faults.set('POST /v1/nodes/task-f/claim', [fault]);
      const m = await machine(fake);
      const timeout = fault === 'hang' ? SHORT_TIMEOUT : {};
      const claim = await m.spor(['claim', 'task-f'], timeout);
      expect(claim.exitCode).toBe(1);
      expect(claim.stderr).toMatch(says);
      expect(claim.stderr.split('\n').filter((l) => l.startsWith('spor: '))).toHaveLength(1);

      const d = await m.spor(['dispatch', 'task-f'], timeout);
      expect(d.exitCode).toBe(1);
      expect(d.stderr).toMatch(/spor: could not claim task-f: /);
      expect(d.stderr).toMatch(says);
      expect(d.stderr).toContain('nothing was launched');
      nothingLaunched(m);
      // No token was minted for a run that will not happen.
      expect(calls(fake, 'POST', '/v1/agents/agent-fay/token')).toEqual([]);
    });
  }

  it('a 409 names the holder and nothing is launched', async () => {
    const fake = await startFake();
    fake.faults.set('POST /v1/nodes/task-f/claim', [
      {
        status: 409,
        body: {error: {code: 'conflict', message: 'task-f is claimed by person-zed until 2030-01-01T00:00:00.000Z'}},
      },
    ]);
    const m = await machine(fake);
    const d = await m.spor(['dispatch', 'task-f']);
    expect(d.exitCode).toBe(1);
    expect(d.stderr).toContain(
      'spor: cannot claim task-f: task-f is claimed by person-zed until 2030-01-01T00:00:00.000Z',
    );
    nothingLaunched(m);
  });
});

describe('429 with Retry-After', () => {
  it('is honoured once: the claim is sent again after the wait and succeeds', async () => {
    const fake = await startFake();
    fake.faults.set('POST /v1/nodes/task-f/claim', [
      {
        status: 429,
        headers: {'retry-after': '1'},
        body: {error: {code: 'rate_limited', message: 'too many requests; retry in 1 second'}},
      },
      undefined,
    ]);
    const m = await machine(fake);
    const r = await m.spor(['claim', 'task-f']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const sent = calls(fake, 'POST', '/v1/nodes/task-f/claim');
    expect(sent).toHaveLength(2);
    expect((sent[1] as Seen).at - (sent[0] as Seen).at).toBeGreaterThanOrEqual(950);
  });

  it('only once: a second 429 is reported with what the server said', async () => {
    const fake = await startFake();
    const limited = {
      status: 429,
      headers: {'retry-after': '0'},
      body: {error: {code: 'rate_limited', message: 'slow down'}},
    };
    fake.faults.set('POST /v1/agents/agent-fay/capabilities', [limited]);
    const m = await machine(fake);
    const r = await m.spor(['capabilities', 'publish']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/with 429 rate_limited: slow down/);
    expect(r.stderr).toMatch(/hint: the server limits requests per token/);
    expect(calls(fake, 'POST', '/v1/agents/agent-fay/capabilities')).toHaveLength(2);
  });
});

describe('client faults on publish, renew and the token mint', () => {
  it('publish: a 5xx, a reset and a timeout each say what happened', async () => {
    const fake = await startFake();
    const m = await machine(fake);
    const path = 'POST /v1/agents/agent-fay/capabilities';
    fake.faults.set(path, [{status: 500, body: {error: {code: 'internal', message: 'internal error (request 7)'}}}]);
    const five = await m.spor(['capabilities', 'publish']);
    expect(five.exitCode).toBe(1);
    expect(five.stderr).toContain('with 500 internal: internal error (request 7)');
    fake.faults.set(path, ['reset']);
    expect((await m.spor(['capabilities', 'publish'])).stderr).toMatch(/cannot reach the team server/);
    fake.faults.set(path, ['hang']);
    const slow = await m.spor(['capabilities', 'publish'], SHORT_TIMEOUT);
    expect(slow.exitCode).toBe(1);
    expect(slow.stderr).toMatch(/did not answer POST \/v1\/agents\/agent-fay\/capabilities within 0\.5s/);
  });

  it('renew: spor renew reports it; in a run the supervisor logs it and the run goes on', async () => {
    const fake = await startFake();
    const m = await machine(fake);
    fake.faults.set('POST /v1/nodes/task-f/renew', [
      {status: 503, body: {error: {code: 'internal', message: 'store down'}}},
    ]);
    const r = await m.spor(['renew', 'task-f']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('with 503 internal: store down');

    const d = await m.spor(['dispatch', 'task-f'], {STUB_MODE: 'hang', SPOR_DISPATCH_RENEWEVERY: '100ms'});
    expect(d.exitCode, d.stderr).toBe(0);
    // The dispatch tags the lease (one renew, which failed: a warning), then the supervisor ticks.
    expect(d.stderr).toContain('not tagged with this dispatch');
    const runId = runIdOf(d.stdout);
    const log = join(m.sporHome, 'runs', runId, 'supervisor.log');
    const deadline = Date.now() + 15_000;
    while (!(
      existsSync(log) && /renewing the lease on task-f: .*503 internal: store down/.test(readFileSync(log, 'utf8'))
    ))
      if (Date.now() > deadline) throw new Error('the supervisor never logged the failed renew');
      else await new Promise((res) => setTimeout(res, 50));
    const runs = JSON.parse((await m.spor(['runs', runId, '--json'])).stdout);
    expect(runs.state).toBe('running');
    await m.spor(['runs', 'stop', runId]);
    expect((await waitForEnd(m.home, runId, m.env, 30_000)).state).toBe('failed');
    // A failed run gives its claim back.
    const deadline2 = Date.now() + 15_000;
    while (calls(fake, 'POST', '/v1/nodes/task-f/release').length === 0)
      if (Date.now() > deadline2) throw new Error('the claim was never released');
      else await new Promise((res) => setTimeout(res, 50));
  });

  it('token mint: a failure refuses the dispatch, gives the claim back and launches nothing', async () => {
    const fake = await startFake();
    fake.faults.set('POST /v1/agents/agent-fay/token', ['reset']);
    const m = await machine(fake);
    const d = await m.spor(['dispatch', 'task-f']);
    expect(d.exitCode).toBe(1);
    expect(d.stderr).toMatch(/spor: could not mint a run token for agent-fay: cannot reach the team server/);
    expect(calls(fake, 'POST', '/v1/nodes/task-f/release')).toHaveLength(1);
    nothingLaunched(m);

    fake.faults.set('POST /v1/agents/agent-fay/token', [
      {status: 403, body: {error: {code: 'forbidden', message: "agent 'agent-fay' is owned by person-zed, not you"}}},
    ]);
    const other = await m.spor(['dispatch', 'task-f']);
    expect(other.stderr).toContain("403 forbidden: agent 'agent-fay' is owned by person-zed, not you");
    expect(other.stderr).toContain('dispatch as an agent you own');
  });

  it('a failed read degrades to a warning: the run still launches', async () => {
    const fake = await startFake();
    fake.faults.set('GET /v1/agents/agent-fay/capabilities', [
      {status: 500, body: {error: {code: 'internal', message: 'x'}}},
    ]);
    const m = await machine(fake);
    const d = await m.spor(['dispatch', 'task-f']);
    expect(d.exitCode, d.stderr).toBe(0);
    expect(d.stderr).toContain("spor: warning: could not refresh agent-fay's published capabilities:");
    await waitForEnd(m.home, runIdOf(d.stdout), m.env, 30_000);
    const [got] = received(m.rec);
    expect(got?.env.SPOR_TOKEN).toBe('spor_pat_fakeRunToken');
    // The dispatcher's own token never reaches the harness.
    expect(JSON.stringify(got?.env)).not.toContain('theDispatchersOwnToken');
  });
});
