import {existsSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {adminOf, call, memberOf, startTeamServer, type Member, type TeamServerHandle} from '../helpers/teamServer.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

// Remote mode end to end: the built CLI against a real team server on 127.0.0.1 (in this process).

let server: TeamServerHandle;
let admin: Member;
let people = 0;

beforeAll(async () => {
  server = await startTeamServer({kind: 'embedded'});
  admin = await adminOf(server);
});
afterAll(async () => {
  await server.stop();
});

/** A teammate with a PAT and a fresh machine (HOME) pointed at the server through the environment. */
const teammate = async (name = 'Alice') => {
  people += 1;
  const member = await memberOf(server, admin, `${name} ${people}`);
  return {member, ...stubMachine({SPOR_SERVER: server.url, SPOR_TOKEN: member.token})};
};

/** A task on the team server and in this machine's graph, in a real repository. */
const task = async (t: Awaited<ReturnType<typeof teammate>>, id: string) => {
  const put = await call(server, 'POST', '/v1/nodes', {
    token: t.member.token,
    body: {nodes: [{node: {id, type: 'task', title: id, summary: 'remote dispatch test'}}]},
  });
  expect(put.status).toBe(200);
  const repo = gitRepo('web');
  expect((await t.spor(['repos', 'add', 'web', repo])).exitCode).toBe(0);
  expect((await t.spor(['add', id, '--id', id, '--repo', 'web'])).exitCode).toBe(0);
  return repo;
};

/** An agent of this teammate's, on the server, that the machine dispatches as (ids are team-wide). */
const agentFor = async (t: Awaited<ReturnType<typeof teammate>>): Promise<string> => {
  const label = `laptop-${people}`;
  expect((await t.spor(['agent', 'create', label])).exitCode).toBe(0);
  expect((await t.spor(['agent', 'use', label])).exitCode).toBe(0);
  return `agent-${label}`;
};

const leaseOf = async (token: string, node: string) => {
  // A claim by someone else answers with the holder; a free node is claimed then released again.
  const r = await call(server, 'POST', `/v1/nodes/${node}/claim`, {token, body: {}});
  if (r.status === 200) await call(server, 'POST', `/v1/nodes/${node}/release`, {token, body: {}});
  return r;
};

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Every file under a directory, as text. */
const allText = (dir: string): string =>
  existsSync(dir)
    ? readdirSync(dir, {recursive: true, withFileTypes: true})
        .filter((e) => e.isFile())
        .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
        .join('\n')
    : '';

describe('spor login / logout', () => {
  it('checks the token, saves it 0600 outside the log and never prints it; a refused token saves nothing', async () => {
    const member = await memberOf(server, admin, `Lena ${++people}`);
    const {home, sporHome} = tempHome();
    const bad = await runSpor(['login', server.url, 'spor_pat_notarealtoken0000000000000000000'], {home});
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/does not accept this token/);
    expect(existsSync(join(sporHome, 'credentials.json'))).toBe(false);

    const ok = await runSpor(['login', server.url, '-'], {home, input: `${member.token}\n`});
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain(`logged in to ${server.url} as Lena`);
    expect(ok.stdout + ok.stderr).not.toContain(member.token);
    const file = join(sporHome, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({server: server.url, token: member.token});

    // Remote mode from the file alone: the claim verbs now talk to the server.
    await call(server, 'POST', '/v1/nodes', {
      token: member.token,
      body: {nodes: [{node: {id: 'task-login', type: 'task', title: 'login', summary: 's'}}]},
    });
    const claimed = await runSpor(['claim', 'task-login'], {home});
    expect(claimed.exitCode).toBe(0);
    expect(claimed.stdout).toMatch(/^claimed task-login until \S+ \(fence 1\)/);
    expect(
      readLog(home)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    ).not.toContain(member.token);

    const out = await runSpor(['logout'], {home});
    expect(out.stdout).toBe(`logged out of ${server.url}`);
    expect(existsSync(file)).toBe(false);
    const local = await runSpor(['release', 'task-login'], {home});
    expect(local.exitCode).toBe(0);
    expect(local.stdout).toMatch(/claims are a team feature: this machine is in local mode/);
  });

  it('a server without a token is refused rather than quietly local', async () => {
    const {home} = tempHome();
    const r = await runSpor(['claim', 'task-x'], {home, env: {SPOR_SERVER: server.url}});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/SPOR_SERVER is set \(http:\/\/127\.0\.0\.1:\d+\) but there is no token for it/);
  });
});

describe('the dual commands in remote mode', () => {
  it('agent create / list / use / token [list | revoke]', async () => {
    const t = await teammate();
    const made = await t.spor(['agent', 'create', 'laptop']);
    expect(made.exitCode).toBe(0);
    expect(made.stdout).toContain(`agent-laptop  owned by ${t.member.id}`);
    const onServer = await call(server, 'GET', '/v1/agents', {token: t.member.token});
    expect(onServer.body.agents.map((a: {id: string}) => a.id)).toEqual(['agent-laptop']);
    // Nothing of it is in this machine's graph: the server holds it.
    expect(readLog(t.home).filter((e) => e.type === 'node-added')).toEqual([]);

    expect((await t.spor(['agent', 'use', 'laptop'])).stdout).toBe('dispatching as agent-laptop');
    const listed = JSON.parse((await t.spor(['agent', 'list', '--json'])).stdout);
    expect(listed).toEqual([expect.objectContaining({id: 'agent-laptop', owner: t.member.id, current: true})]);

    const minted = await t.spor(['agent', 'token', 'agent-laptop', '--label', 'ci']);
    expect(minted.exitCode).toBe(0);
    const token = minted.stdout.trim();
    expect(token).toMatch(/^spor_pat_/);
    expect(minted.stderr).toMatch(/shown once/);
    const me = await call(server, 'GET', '/v1/me', {token});
    expect(me.body).toMatchObject({agent: 'agent-laptop', person: t.member.id});
    expect(
      readLog(t.home)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    ).not.toContain(token);

    const list = JSON.parse((await t.spor(['agent', 'token', 'agent-laptop', 'list', '--json'])).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({label: 'ci', expired: false});
    const prefix = list[0].hash_prefix as string;
    const revoked = await t.spor(['agent', 'token', 'agent-laptop', 'revoke', prefix]);
    expect(revoked.stdout).toBe(`revoked agent-laptop's token ${prefix}`);
    expect((await call(server, 'GET', '/v1/me', {token})).status).toBe(401);

    const bare = await t.spor(['agent', 'token', 'laptop']);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain('did you mean agent-laptop?');
  });

  it('capabilities publish / show <agent|me> / hosts <profile>', async () => {
    const t = await teammate();
    await t.spor(['agent', 'create', 'box']);
    await t.spor(['agent', 'use', 'agent-box']);
    await t.spor(['capabilities', 'set', 'reachable_mcp', 'linear']);
    const pub = await t.spor(['capabilities', 'publish']);
    expect(pub.exitCode).toBe(0);
    expect(pub.stdout).toMatch(/^published for agent-box on http/);
    const record = await call(server, 'GET', '/v1/agents/agent-box/capabilities', {token: t.member.token});
    expect(record.body.capabilities.reachable_mcp).toEqual(['linear']);
    expect(record.body.capabilities.harnesses).toContain('claude-code');

    const show = JSON.parse((await t.spor(['capabilities', 'show', 'me', '--json'])).stdout);
    expect(show).toMatchObject({agent: 'agent-box', published_by: t.member.id});
    expect((await t.spor(['caps', 'show', 'agent-box'])).stdout).toContain('reachable_mcp linear');

    await call(server, 'POST', '/v1/nodes', {
      token: t.member.token,
      body: {
        nodes: [
          {
            node: {
              id: 'profile-lin',
              type: 'profile',
              title: 'linear work',
              summary: 'linear',
              harness: 'claude-code',
              mcp: ['linear'],
            },
          },
          {
            node: {
              id: 'profile-gh',
              type: 'profile',
              title: 'github work',
              summary: 'github',
              harness: 'claude-code',
              mcp: ['github'],
            },
          },
        ],
      },
    });
    const hosts = await t.spor(['capabilities', 'hosts', 'profile-lin']);
    expect(hosts.exitCode).toBe(0);
    expect(hosts.stdout).toMatch(/^profile-lin: 1 of 1 machines can run it\n {2}agent-box {2}\(person-/);
    const none = await t.spor(['capabilities', 'hosts', 'profile-gh']);
    expect(none.stdout).toContain('profile-gh: no published machine can run it');
    expect(none.stdout).toMatch(/✗ agent-box .*github/);
  });

  it('claim / renew / extend / release, and a 409 naming the holder', async () => {
    const a = await teammate('Ann');
    const b = await teammate('Bob');
    await call(server, 'POST', '/v1/nodes', {
      token: a.member.token,
      body: {nodes: [{node: {id: 'task-lease', type: 'task', title: 'lease', summary: 's'}}]},
    });
    expect((await a.spor(['claim', 'task-lease'])).stdout).toMatch(/^claimed task-lease until /);
    const taken = await b.spor(['claim', 'task-lease']);
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toContain(`spor: cannot claim task-lease: task-lease is claimed by ${a.member.id} until `);
    expect((await a.spor(['renew', 'task-lease'])).stdout).toMatch(/^renewed task-lease until /);
    const ext = await a.spor(['extend', 'task-lease', '2h', '--json']);
    expect(JSON.parse(ext.stdout)).toMatchObject({status: 'extended'});
    expect((await b.spor(['renew', 'task-lease'])).stderr).toContain(`claimed by ${a.member.id}`);
    expect((await b.spor(['release', 'task-lease'])).exitCode).toBe(1);
    expect((await a.spor(['release', 'task-lease'])).stdout).toBe('released task-lease');
    expect((await a.spor(['release', 'task-lease'])).stdout).toBe('task-lease was not held by you; nothing to release');
    expect((await b.spor(['claim', 'task-lease'])).exitCode).toBe(0);
    expect((await a.spor(['extend', 'task-lease', 'soon'])).exitCode).toBe(2);
  });

  it('in local mode the claim verbs are a one-line note, exit 0', async () => {
    const {home} = tempHome();
    for (const verb of ['claim', 'renew', 'release']) {
      const r = await runSpor([verb, 'task-x'], {home});
      expect(r.exitCode).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stdout).toContain('claims are a team feature');
    }
    // The remote-only reads say so; a word that is no agent is a usage error.
    const show = await runSpor(['capabilities', 'show', 'me'], {home});
    expect(show.exitCode).toBe(1);
    expect(show.stderr).toContain('published capabilities need a team server');
    expect((await runSpor(['caps', 'porbe'], {home})).exitCode).toBe(2);
  });
});

describe('spor dispatch in remote mode', () => {
  it('claims the node, hands the harness a per-run agent token in its environment only, binds its session', async () => {
    const t = await teammate();
    const agent = await agentFor(t);
    await task(t, 'task-remote-a');
    const r = await t.spor(['dispatch', 'task-remote-a']);
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    const run = await waitForEnd(t.home, runId, t.env, 30_000);
    expect(run.state).toBe('done');
    const [got] = received(t.rec);
    const token = got?.env.SPOR_TOKEN as string;
    expect(token).toMatch(/^spor_pat_/);
    expect(token).not.toBe(t.member.token);
    expect(got?.env.SPOR_SERVER).toBe(server.url);
    expect(got?.argv.join(' ')).not.toContain('spor_pat_');
    // Never in the log, the run's files, nor what spor printed.
    expect(JSON.stringify(readLog(t.home))).not.toContain(token);
    expect(allText(join(t.sporHome, 'runs'))).not.toContain('spor_pat_');
    expect(r.stdout + r.stderr).not.toContain('spor_pat_');
    // The token is the agent's, and the run's session was bound to it by the supervisor.
    const me = await call(server, 'GET', '/v1/me', {token});
    expect(me.body).toMatchObject({agent, person: t.member.id, session: 'sess-123'});
    // The node is claimed on the team: someone else is refused, naming the dispatcher.
    const other = await memberOf(server, admin, `Carl ${++people}`);
    const held = await leaseOf(other.token, 'task-remote-a');
    expect(held.status).toBe(409);
    expect(held.body.error.message).toContain(t.member.id);
    // The stale (absent) capabilities record was published on the way.
    expect(r.stderr).toContain(`published this machine's capabilities for ${agent} (none published yet)`);
    expect(readLog(t.home).filter((e) => e.type === 'probe-ran')).toHaveLength(1);
  });

  it('renews the lease while the run lives and releases it when the run fails', async () => {
    const t = await teammate();
    await agentFor(t);
    await task(t, 'task-remote-b');
    const renewsBefore = (): number =>
      server.log.text.split('\n').filter((l) => l.includes('"/v1/nodes/task-remote-b/renew"')).length;
    const r = await t.spor(['dispatch', 'task-remote-b'], {STUB_MODE: 'hang', SPOR_DISPATCH_RENEWEVERY: '200ms'});
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = runIdOf(r.stdout);
    // One renew tags the lease with the dispatch, one binds the session; the supervisor's ticks follow.
    await until('the supervisor to renew the lease', () => renewsBefore() >= 4);
    const other = await memberOf(server, admin, `Dora ${++people}`);
    expect((await leaseOf(other.token, 'task-remote-b')).status).toBe(409);
    expect((await t.spor(['runs', 'stop', runId])).exitCode).toBe(0);
    const run = await waitForEnd(t.home, runId, t.env, 30_000);
    expect(run.state).toBe('failed');
    expect((await leaseOf(other.token, 'task-remote-b')).status).toBe(200);
  });

  it('a run that fails at once releases its claim', async () => {
    const t = await teammate();
    await agentFor(t);
    await task(t, 'task-remote-c');
    const r = await t.spor(['dispatch', 'task-remote-c'], {STUB_MODE: 'exit-at-once'});
    const run = await waitForEnd(t.home, runIdOf(r.stdout), t.env, 30_000);
    expect(run.state).toBe('failed');
    const other = await memberOf(server, admin, `Eve ${++people}`);
    await until('the claim to be released', async () => (await leaseOf(other.token, 'task-remote-c')).status === 200);
  });

  it('a claim someone else holds refuses the dispatch naming them; nothing is launched', async () => {
    const t = await teammate();
    const other = await memberOf(server, admin, `Finn ${++people}`);
    await task(t, 'task-remote-d');
    expect((await call(server, 'POST', '/v1/nodes/task-remote-d/claim', {token: other.token, body: {}})).status).toBe(
      200,
    );
    const r = await t.spor(['dispatch', 'task-remote-d']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`spor: cannot claim task-remote-d: task-remote-d is claimed by ${other.id} until `);
    expect(received(t.rec)).toEqual([]);
    const ended = readLog(t.home).filter((e) => e.type === 'run-ended');
    expect(ended.map((e) => (e.data as {state: string; signal: string}).signal)).toEqual(['claim']);
  });

  it('--from-queue passes over an item a teammate holds on the team server', async () => {
    const t = await teammate();
    const other = await memberOf(server, admin, `Jo ${++people}`);
    await task(t, 'task-remote-q1');
    await call(server, 'POST', '/v1/nodes', {
      token: t.member.token,
      body: {nodes: [{node: {id: 'task-remote-q2', type: 'task', title: 'q2', summary: 's'}}]},
    });
    await t.spor(['add', 'q2', '--id', 'task-remote-q2', '--repo', 'web', '--priority', 'p2']);
    await t.spor(['priority', 'task-remote-q1', 'p1']);
    await call(server, 'POST', '/v1/nodes/task-remote-q1/claim', {token: other.token, body: {}});
    const r = await t.spor(['dispatch', '--from-queue']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cannot claim task-remote-q1: task-remote-q1 is claimed by ${other.id}`);
    expect(r.stdout).toContain('started run');
    expect(r.stdout).toContain('task-remote-q2');
    await waitForEnd(t.home, runIdOf(r.stdout), t.env, 30_000);
  });

  it('--no-claim leaves the lease alone; --force re-claims a node a run of yours holds', async () => {
    const t = await teammate();
    await task(t, 'task-remote-e');
    const r = await t.spor(['dispatch', 'task-remote-e', '--no-claim']);
    expect(r.exitCode, r.stderr).toBe(0);
    // No agent chosen: a warning, and the run gets the server but no token.
    expect(r.stderr).toContain('no agent to run as');
    expect((await waitForEnd(t.home, runIdOf(r.stdout), t.env, 30_000)).state).toBe('done');
    const other = await memberOf(server, admin, `Gus ${++people}`);
    expect((await leaseOf(other.token, 'task-remote-e')).status).toBe(200);
    const [got] = received(t.rec);
    expect(got?.env.SPOR_SERVER).toBe(server.url);
    expect(got?.env.SPOR_TOKEN).toBeUndefined();

    await t.spor(['claim', 'task-remote-e', '--session', 'sess-elsewhere']);
    const refused = await t.spor(['dispatch', 'task-remote-e']);
    expect(refused.exitCode, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('task-remote-e is already claimed by a run of yours (session sess-elsewhere)');
    const forced = await t.spor(['dispatch', 'task-remote-e', '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('re-claimed task-remote-e');
    expect((await waitForEnd(t.home, runIdOf(forced.stdout), t.env, 30_000)).state).toBe('done');
  });

  it('a hook veto after the claim gives the claim back', async () => {
    const t = await teammate();
    await task(t, 'task-remote-f');
    const veto = join(tempDir('spor-hook-'), 'veto');
    writeFileSync(veto, '#!/bin/sh\necho "not today" >&2\nexit 2\n');
    chmodSync(veto, 0o755);
    await t.spor(['hooks', 'add', 'dispatch-started', veto]);
    const r = await t.spor(['dispatch', 'task-remote-f']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('released the claim on task-remote-f');
    const other = await memberOf(server, admin, `Hal ${++people}`);
    expect((await leaseOf(other.token, 'task-remote-f')).status).toBe(200);
  });

  it('--print shows the team half without any value; --as wants an agent- id', async () => {
    const t = await teammate();
    await task(t, 'task-remote-g');
    const p = await t.spor(['dispatch', 'task-remote-g', '--print', '--as', 'agent-nope']);
    expect(p.exitCode, p.stderr).toBe(0);
    expect(p.stdout).toContain(`team        ${server.url}: claims task-remote-g; a run token for agent-nope`);
    expect(p.stdout).not.toContain('spor_pat_');
    const other = await memberOf(server, admin, `Ida ${++people}`);
    expect((await leaseOf(other.token, 'task-remote-g')).status).toBe(200);
    const bare = await t.spor(['dispatch', 'task-remote-g', '--as', 'laptop']);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain("--as 'laptop' is not an agent id; did you mean agent-laptop?");
  });

  it('a profile this machine cannot run names the machines of the fleet that can', async () => {
    const t = await teammate();
    await task(t, 'task-remote-h');
    await t.spor(['profile', 'create', 'profile-ghx', '--harness', 'claude-code', '--mcp', 'github']);
    await call(server, 'POST', '/v1/nodes', {
      token: t.member.token,
      body: {
        nodes: [
          {
            node: {
              id: 'profile-ghx',
              type: 'profile',
              title: 'gh',
              summary: 'github',
              harness: 'claude-code',
              mcp: ['github'],
            },
          },
        ],
      },
    });
    await call(server, 'POST', '/v1/agents', {token: t.member.token, body: {label: 'desk'}});
    await call(server, 'POST', '/v1/agents/agent-desk/capabilities', {
      token: t.member.token,
      body: {harnesses: ['claude-code'], reachable_mcp: ['github']},
    });
    const r = await t.spor(['dispatch', 'task-remote-h', '--profile', 'profile-ghx']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("this machine cannot run profile 'profile-ghx'");
    expect(r.stderr).toMatch(/machines of the fleet that can run profile-ghx:\n {2}agent-desk {2}\(person-/);
    expect(r.stderr).toContain('hint: dispatch it from one of them (agent-desk)');
    expect(received(t.rec)).toEqual([]);
  });
});
