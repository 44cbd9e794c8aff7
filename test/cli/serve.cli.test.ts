import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {call, type Member} from '../helpers/http.js';
import {pgSchema, postgresReachable} from '../helpers/postgres.js';
import {claimRace, seedTasks} from '../helpers/race.js';
import {runSpor, SPOR_BIN, sporEnv} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

const withPostgres = await postgresReachable();
const running: Array<Served> = [];
afterEach(async () => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) await s.stop();
});

/** `spor serve …` as a child process, once it says where it listens. */
const serve = (args: Array<string>, home: string, env: Record<string, string> = {}): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SPOR_BIN, 'serve', '--port', '0', ...args], {
      env: sporEnv(home, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        const served: Served = {
          child,
          url: m[1] as string,
          stdout: () => out,
          stderr: () => err,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        };
        running.push(served);
        resolve(served);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    void exited.then((code) => reject(new Error(`spor serve exited ${code} before listening: ${err}`)));
  });

describe('spor serve', () => {
  it('--init-admin prints the first admin’s token once; SIGTERM stops it cleanly; no token is ever logged', async () => {
    const {home, sporHome} = tempHome();
    const served = await serve(['--init-admin', 'Ada Lovelace', '--email', 'ada@example.com'], home);
    const [intro, token] = served.stdout().split('\n');
    expect(intro).toMatch(/^created admin person-[0-9a-f]{12}; their token \(shown once, keep it secret\):$/);
    expect(token).toMatch(/^spor_pat_/);
    const me = await call(served, 'GET', '/v1/me', {token});
    expect(me.body).toMatchObject({name: 'Ada Lovelace', email: 'ada@example.com', is_admin: true});
    const minted = await call(served, 'POST', '/v1/me/tokens', {token, body: {label: 'ci'}});
    expect(await served.stop()).toBe(0);
    expect(served.stderr()).toContain('spor: stopped');
    const log = served
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(log.map((l) => JSON.parse(l).path).filter(Boolean)).toEqual(['/v1/me', '/v1/me/tokens']);
    for (const secret of [token as string, minted.body.token]) {
      expect(served.stderr()).not.toContain(secret);
      expect(readFileSync(join(sporHome, 'events.jsonl'), 'utf8')).not.toContain(secret);
    }

    // The data stays: a restart serves the same token; a second --init-admin is refused.
    const again = await serve([], home);
    expect((await call(again, 'GET', '/v1/me', {token})).status).toBe(200);
    await again.stop();
    const refused = await runSpor(['serve', '--port', '0', '--init-admin', 'Eve', '--email', 'e@example.com'], {home});
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^spor: this server has an admin already \(person-[0-9a-f]{12}\)\n {2}hint: /);
    expect(refused.stdout).toBe('');
  });

  it('usage errors exit 2 and start nothing', async () => {
    const {home} = tempHome();
    const half = await runSpor(['serve', '--init-admin', 'Ada'], {home});
    expect(half.exitCode).toBe(2);
    expect(half.stderr).toMatch(/^spor: --init-admin and --email go together\n/);
    const port = await runSpor(['serve', '--port', 'http'], {home});
    expect(port.exitCode).toBe(2);
    const store = await runSpor(['serve', '--store', 'mysql://x'], {home});
    expect(store.exitCode).toBe(2);
    expect(store.stderr).toMatch(/^spor: unknown store 'mysql:\/\/x'\n {2}hint: /);
  });

  it.runIf(withPostgres)(
    'two servers on one PostgreSQL act as one: started together, 50 clients race for 200 nodes across both',
    async () => {
      const db = pgSchema();
      try {
        const homes = [tempHome().home, tempHome().home];
        const env = {SPOR_SERVE_RATELIMIT: '100000'};
        // Both apply the migrations at once: the advisory lock makes them take turns.
        const [a, b] = await Promise.all([
          serve(['--store', db.url, '--init-admin', 'Ada', '--email', 'ada@example.com'], homes[0] as string, env),
          serve(['--store', db.url, '--quiet'], homes[1] as string, env),
        ]);
        const admin = {id: '', token: (a as Served).stdout().split('\n')[1] as string};
        // What one server writes, the other serves at once.
        const people = await Promise.all(
          Array.from({length: 50}, async (_, i): Promise<Member> => {
            const server = i % 2 === 0 ? (a as Served) : (b as Served);
            const p = await call(server, 'POST', '/v1/admin/people', {
              token: admin.token,
              body: {name: `Racer ${i}`, email: `racer${i}@example.com`},
            });
            const other = i % 2 === 0 ? (b as Served) : (a as Served);
            const t = await call(other, 'POST', '/v1/admin/tokens', {token: admin.token, body: {person: p.body.id}});
            expect(t.status).toBe(201);
            return {id: p.body.id, token: t.body.token};
          }),
        );
        const nodes = await seedTasks(b as Served, admin.token, 200);
        await claimRace([a as Served, b as Served], people, nodes);
        // A revoke on one server is seen by the other on the next request.
        const victim = people[0] as Member;
        const listed = await call(b as Served, 'GET', '/v1/admin/tokens', {token: admin.token});
        const prefix = listed.body.tokens.find((t: {person: string}) => t.person === victim.id).hash_prefix;
        await call(a as Served, 'DELETE', `/v1/admin/tokens/${prefix}`, {token: admin.token});
        expect((await call(b as Served, 'GET', '/v1/me', {token: victim.token})).status).toBe(401);
        expect(await (a as Served).stop()).toBe(0);
        expect(await (b as Served).stop()).toBe(0);
      } finally {
        await db.drop();
      }
    },
  );
});
