// The team server under load. Two servers run as child processes, the same way: `spor serve`
// (embedded store, then PostgreSQL) and a bare Fastify server whose route does nothing
// (fixtures/bareServer.mjs). autocannon drives 50 connections at each from this process.
// - claim+release: each connection claims its own node and releases it, over and over; the
//   throughput must be at least 40% of the bare route's (≤ 2.5× its time per request). p99 is
//   recorded beside it.
// - hosts: GET /v1/profiles/<id>/hosts over 1,000 published agents, as a member (the default
//   view: their own machines), one request at a time, against GET /v1/me: ≤ 1.5×; the admin's
//   whole-fleet answer (1,000 rows) is timed beside it. On both stores.
// Every row carries the 1-minute load average it was measured under.
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {loadavg} from 'node:os';
import {join} from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {ROOT, SPOR_BIN, median, round, row, sporEnv, tempDir} from './lib.mjs';

const PG_URL = process.env.SPOR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 50;
// SPOR_BENCH_SERVE_ROWS=embedded,pg,hosts runs only those rows (all by default): the whole suite
// takes minutes on a machine others share. SPOR_BENCH_SERVE_NODE_ARGS adds Node options to the
// spor child alone (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under this load).
const ROWS = new Set((process.env.SPOR_BENCH_SERVE_ROWS ?? 'embedded,pg,hosts').split(',').map((r) => r.trim()));
const SPOR_NODE_ARGS = (process.env.SPOR_BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

/**
 * CPU time (ms) a process has used, from /proc (Linux); undefined elsewhere. Per request it says
 * what the server itself costs, which the machine's load moves far less than requests per second.
 */
export const cpuMs = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
};

/** The machine's 1-minute load average (the figures move with it: it is written beside them). */
export const load = () => round(loadavg()[0], 1);

/** Starts a server child; resolves with its URL, what it printed first, and how to stop it. */
const startChild = (args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({url: m[1], out, pid: child.pid, stop: () => stop(child)});
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });

const stop = (child) =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });

export const api = async (url, method, path, token, body) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {authorization: `Bearer ${token}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

/** 50 connections; each alternates claim and release of its own node. */
export const claimRelease = (url, token, seconds, prefix) => {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
    requests: [
      {
        method: 'POST',
        body: '{}',
        setupRequest: (req, context) => {
          context.node ??= `${prefix}-${next++ % CONNECTIONS}`;
          return {...req, path: `/v1/nodes/${context.node}/claim`};
        },
      },
      {
        method: 'POST',
        body: '{}',
        setupRequest: (req, context) => ({...req, path: `/v1/nodes/${context.node}/release`}),
      },
    ],
  });
};

/** The nodes claimRelease's connections claim, one each (`task-bench-<n>`). */
export const seedNodes = (url, token) =>
  api(url, 'POST', '/v1/nodes', token, {
    nodes: Array.from({length: CONNECTIONS}, (_, i) => ({
      node: {id: `task-bench-${i}`, type: 'task', title: `bench ${i}`, summary: 'bench'},
    })),
  });

export const ok = (result, what) => {
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${what}: ${result.non2xx} non-2xx and ${result.errors} errors of ${result.requests.total}`);
  return result;
};

/** The environment of a server child: spor's, with a rate limit no benchmark reaches. */
const serveEnv = (home) => ({...sporEnv(home), SPOR_SERVE_RATELIMIT: '100000000'});

/**
 * `spor serve` (`bin`: a built spor.js) as a child on `home`, with a first admin; resolves with
 * what startChild gives and that admin's token.
 */
export const startSpor = async (home, {bin = SPOR_BIN, store = 'embedded', nodeArgs = []} = {}) => {
  const args = ['serve', '--port', '0', '--quiet', '--store', store, '--init-admin', 'Bench', '--email', 'b@x.io'];
  const server = await startChild([...nodeArgs, bin, ...args], serveEnv(home));
  return {...server, token: server.out.split('\n')[1].trim()};
};

/** Claim+release against a spor serve child on `store`, interleaved with the bare server. */
const throughput = async (label, store, {rounds, seconds, target = 2.5}) => {
  const home = tempDir('spor-bench-serve-');
  const bare = await startChild([join(ROOT, 'bench', 'fixtures', 'bareServer.mjs')], serveEnv(home));
  const spor = await startSpor(home, {store, nodeArgs: SPOR_NODE_ARGS});
  try {
    const {token} = spor;
    await seedNodes(spor.url, token);
    const bareRun = () =>
      autocannon({
        url: bare.url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/noop/task-x/claim',
            body: '{}',
            headers: {'content-type': 'application/json', authorization: `Bearer ${token}`},
          },
        ],
      });
    await bareRun(); // warm-up, both sides
    ok(await claimRelease(spor.url, token, 1, 'task-bench'), 'warm-up');
    const samples = {spor: [], bare: [], p99: [], bareP99: [], load: [], sporCpuUs: [], bareCpuUs: []};
    for (let i = 0; i < rounds; i += 1) {
      samples.load.push(load());
      const order = i % 2 === 0 ? ['spor', 'bare'] : ['bare', 'spor'];
      for (const side of order) {
        const child = side === 'spor' ? spor : bare;
        const cpu0 = cpuMs(child.pid);
        const r =
          side === 'spor'
            ? ok(await claimRelease(spor.url, token, seconds, 'task-bench'), label)
            : ok(await bareRun(), 'bare');
        const cpu1 = cpuMs(child.pid);
        if (cpu0 !== undefined && cpu1 !== undefined)
          samples[side === 'spor' ? 'sporCpuUs' : 'bareCpuUs'].push(
            round(((cpu1 - cpu0) * 1000) / r.requests.total, 0),
          );
        samples[side].push(r.requests.average);
        samples[side === 'spor' ? 'p99' : 'bareP99'].push(r.latency.p99);
      }
    }
    const rps = median(samples.spor);
    const bareRps = median(samples.bare);
    return {
      ...row(
        `serve: claim+release, ${CONNECTIONS} connections, ${label} store (ms per request vs a bare Fastify route; ${round(rps, 0)} vs ${round(bareRps, 0)} req/s, ${round((100 * rps) / bareRps, 1)}%, p99 ${median(samples.p99)} ms vs ${median(samples.bareP99)} ms;${samples.sporCpuUs.length ? ` server CPU ${median(samples.sporCpuUs)} vs ${median(samples.bareCpuUs)} µs per request;` : ''} ${rounds} rounds of ${seconds} s, load ${median(samples.load)})`,
        1000 / rps,
        1000 / bareRps,
        target,
      ),
      requests_per_s: round(rps, 0),
      bare_requests_per_s: round(bareRps, 0),
      percent_of_bare: round((100 * rps) / bareRps, 1),
      p99_ms: median(samples.p99),
      bare_p99_ms: median(samples.bareP99),
      ...(samples.sporCpuUs.length
        ? {server_cpu_us: median(samples.sporCpuUs), bare_cpu_us: median(samples.bareCpuUs)}
        : {}),
      samples,
    };
  } finally {
    await spor.stop();
    await bare.stop();
    rmSync(home, {recursive: true, force: true});
  }
};

/**
 * GET hosts over 1,000 published agents (100 people with 10 machines each) against GET /v1/me,
 * one request at a time, asked as the contract's default: a member, whose view is their own
 * machines. The admin's whole-fleet view (all 1,000 rows) is timed too and written beside it.
 */
const hosts = async ({store = 'embedded', label = 'embedded', people = 100, each = 10, rounds = 300} = {}) => {
  const home = tempDir('spor-bench-hosts-');
  const spor = await startSpor(home, {store});
  try {
    const admin = spor.token;
    await api(spor.url, 'POST', '/v1/nodes', admin, {
      nodes: [
        {
          node: {
            id: 'profile-bench',
            type: 'profile',
            title: 'bench',
            summary: 'bench',
            harness: 'claude-code',
            mcp: ['linear'],
            skills: ['docs'],
          },
        },
      ],
    });
    const harnesses = ['claude-code', 'codex', 'gemini'];
    const tokens = [];
    for (let p = 0; p < people; p += 1) {
      const person = await api(spor.url, 'POST', '/v1/admin/people', admin, {name: `P ${p}`, email: `p${p}@x.io`});
      const {token} = await api(spor.url, 'POST', '/v1/admin/tokens', admin, {person: person.id});
      tokens.push(token);
      await Promise.all(
        Array.from({length: each}, async (_, k) => {
          const n = p * each + k;
          await api(spor.url, 'POST', '/v1/agents', token, {label: `box ${n}`});
          await api(spor.url, 'POST', `/v1/agents/agent-box-${n}/capabilities`, token, {
            harnesses: [harnesses[n % 3]],
            reachable_mcp: n % 2 ? ['linear'] : [],
            skills: ['docs'],
          });
        }),
      );
    }
    const member = tokens[0];
    const time = async (path, token) => {
      const t = performance.now();
      const res = await fetch(`${spor.url}${path}`, {headers: {authorization: `Bearer ${token}`}});
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return performance.now() - t;
    };
    const whole = await api(spor.url, 'GET', '/v1/profiles/profile-bench/hosts', admin);
    if (whole.counts.total !== people * each) throw new Error(`hosts saw ${whole.counts.total} agents`);
    const mine = await api(spor.url, 'GET', '/v1/profiles/profile-bench/hosts', member);
    if (mine.counts.total !== each) throw new Error(`a member saw ${mine.counts.total} agents`);
    const samples = {hosts: [], me: [], fleet: []};
    const sides = {
      hosts: () => time('/v1/profiles/profile-bench/hosts', member),
      me: () => time('/v1/me', member),
      fleet: () => time('/v1/profiles/profile-bench/hosts', admin),
    };
    for (let i = 0; i < rounds + 20; i += 1) {
      const order = i % 2 === 0 ? ['hosts', 'me', 'fleet'] : ['fleet', 'me', 'hosts'];
      for (const side of order) {
        const ms = await sides[side]();
        if (i >= 20) samples[side].push(ms);
      }
    }
    return {
      ...row(
        `serve: GET /v1/profiles/<id>/hosts over ${people * each} published agents, ${label} store, as a member, vs GET /v1/me (${rounds} each; the admin's whole fleet: ${round(median(samples.fleet), 2)} ms; load ${load()})`,
        median(samples.hosts),
        median(samples.me),
        1.5,
      ),
      admin_whole_fleet_ms: round(median(samples.fleet)),
    };
  } finally {
    await spor.stop();
    rmSync(home, {recursive: true, force: true});
  }
};

let schemas = 0;
const postgresUrl = async () => {
  const schema = `spor_bench_${process.pid}_${(schemas += 1)}`;
  const client = new pg.Client({connectionString: PG_URL, connectionTimeoutMillis: 2000});
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  await client.end();
  return {
    url: `${PG_URL}?schema=${schema}`,
    drop: async () => {
      const c = new pg.Client({connectionString: PG_URL});
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
};

export const benchServe = async ({rounds = 5, seconds = 4} = {}) => {
  const rows = [];
  if (ROWS.has('embedded')) rows.push(await throughput('embedded', 'embedded', {rounds, seconds}));
  if (ROWS.has('hosts')) rows.push(await hosts());
  if (!ROWS.has('pg') && !ROWS.has('hosts')) return rows;
  const pgStore = await postgresUrl();
  if (pgStore) {
    if (ROWS.has('pg'))
      try {
        // Written down beside the embedded figure; the 40% goal is the embedded store's.
        rows.push(await throughput('PostgreSQL', pgStore.url, {rounds, seconds, target: null}));
      } finally {
        await pgStore.drop();
      }
    else await pgStore.drop();
    if (ROWS.has('hosts')) {
      const hostsStore = await postgresUrl();
      try {
        rows.push(await hosts({store: hostsStore.url, label: 'PostgreSQL'}));
      } finally {
        await hostsStore.drop();
      }
    }
  } else process.stderr.write(`bench: PostgreSQL is not reachable at ${PG_URL}; its rows are skipped\n`);
  return rows;
};
