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

describe.each(await storeKinds())('the fleet (%s store)', (kind) => {
  let server: TeamServerHandle;
  let admin: Member;
  let jo: Member;
  let kim: Member;
  const post = (who: Member | {token: string}, path: string, body?: unknown) =>
    call(server, 'POST', path, {token: who.token, body});
  const get = (who: Member | {token: string}, path: string) => call(server, 'GET', path, {token: who.token});

  beforeAll(async () => {
    server = await startTeamServer({kind});
    admin = await adminOf(server);
    jo = await memberOf(server, admin, 'Jo');
    kim = await memberOf(server, admin, 'Kim');
    for (const [who, label] of [
      [jo, 'jo laptop'],
      [jo, 'jo desktop'],
      [kim, 'kim box'],
    ] as const)
      expect((await post(who, '/v1/agents', {label})).status).toBe(201);
    const profile = await post(admin, '/v1/nodes', {
      nodes: [
        {
          node: {
            id: 'profile-docs',
            type: 'profile',
            title: 'docs writer',
            summary: 'writes docs',
            harness: 'claude-code',
            mcp: ['linear'],
            skills: ['docs'],
          },
        },
      ],
    });
    expect(profile.status).toBe(200);
  });
  afterAll(async () => server.stop());

  it('publish collapses the map with the client’s own fold; the owner and the agent itself may publish', async () => {
    const raw = await post(jo, '/v1/agents/agent-jo-laptop/capabilities', {
      probed: {harnesses: ['claude-code', 'codex']},
      declared: {reachable_mcp: ['linear'], skills: ['docs']},
      deny: [],
    });
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({
      agent: 'agent-jo-laptop',
      capabilities: {
        harnesses: ['claude-code', 'codex'],
        reachable_mcp: ['linear'],
        skills: ['docs'],
        plugins: [],
        deny: [],
      },
      published_by: jo.id,
      changed: true,
    });
    expect(raw.body.published_at).toBe(raw.body.last_seen);
    // The same map again: nothing changed, but it counts as contact.
    server.clock.advance(60_000);
    const same = await post(jo, '/v1/agents/agent-jo-laptop/capabilities', {
      capabilities: {harnesses: ['codex', 'claude-code'], reachable_mcp: ['linear'], skills: ['docs']},
    });
    expect(same.body).toMatchObject({changed: false, published_at: raw.body.published_at});
    expect(same.body.last_seen).not.toBe(raw.body.last_seen);

    // Kim owns neither; an agent token of another agent is not the agent itself.
    expect((await post(kim, '/v1/agents/agent-jo-laptop/capabilities', {harnesses: ['x']})).status).toBe(403);
    const t = await post(jo, '/v1/agents/agent-jo-desktop/token', {});
    const self = await post(t.body, '/v1/agents/agent-jo-desktop/capabilities', {harnesses: ['codex']});
    expect(self.body).toMatchObject({agent: 'agent-jo-desktop', published_by: 'agent-jo-desktop'});
    expect((await post(jo, '/v1/agents/agent-nobody/capabilities', {})).status).toBe(404);
    for (const bad of [{harnesses: 'codex'}, {harnesses: ['has space']}, {gpus: 2}, {capabilities: {}, skills: []}])
      expect((await post(jo, '/v1/agents/agent-jo-laptop/capabilities', bad)).status, JSON.stringify(bad)).toBe(422);
  });

  it('show: the owner, the agent itself and admins read it; 404 when nothing is published', async () => {
    expect((await get(jo, '/v1/agents/agent-jo-laptop/capabilities')).body.agent).toBe('agent-jo-laptop');
    expect((await get(admin, '/v1/agents/agent-jo-laptop/capabilities')).status).toBe(200);
    expect((await get(kim, '/v1/agents/agent-jo-laptop/capabilities')).status).toBe(403);
    expect((await get(kim, '/v1/agents/agent-kim-box/capabilities')).status).toBe(404);
  });

  it('heartbeat refreshes last_seen only; nothing published yet is a 404', async () => {
    expect((await post(kim, '/v1/agents/agent-kim-box/heartbeat')).status).toBe(404);
    server.clock.advance(5_000);
    const beat = await post(jo, '/v1/agents/agent-jo-laptop/heartbeat');
    expect(beat.status).toBe(200);
    expect(beat.body.last_seen).toBe(server.clock.now().toISOString());
    expect(beat.body.published_at).not.toBe(beat.body.last_seen);
    expect((await post(kim, '/v1/agents/agent-jo-laptop/heartbeat')).status).toBe(403);
    expect((await post(jo, '/v1/agents/Bad_Id/heartbeat')).status).toBe(422);
  });

  it('hosts: satisfiable freshest first, the others with the matcher’s reasons, scoped to the caller', async () => {
    await post(kim, '/v1/agents/agent-kim-box/capabilities', {
      harnesses: ['claude-code'],
      reachable_mcp: ['linear'],
      skills: ['docs'],
    });
    const mine = await get(jo, '/v1/profiles/profile-docs/hosts');
    expect(mine.status).toBe(200);
    expect(mine.body.profile).toBe('profile-docs');
    expect(mine.body.satisfiable.map((h: {agent: string}) => h.agent)).toEqual(['agent-jo-laptop']);
    expect(mine.body.unsatisfiable).toHaveLength(1);
    expect(mine.body.unsatisfiable[0]).toMatchObject({agent: 'agent-jo-desktop', owner: jo.id});
    expect(mine.body.unsatisfiable[0].reasons).toEqual([
      expect.stringContaining("harness 'claude-code'"),
      expect.stringContaining("MCP server 'linear'"),
      expect.stringContaining("skill 'docs'"),
    ]);
    expect(mine.body.counts).toEqual({satisfiable: 1, unsatisfiable: 1, total: 2});

    // An admin sees the whole fleet, freshest first; a member asking for a colleague's is refused.
    const fleet = await get(admin, '/v1/profiles/profile-docs/hosts');
    expect(fleet.body.satisfiable.map((h: {agent: string}) => h.agent)).toEqual(['agent-kim-box', 'agent-jo-laptop']);
    expect((await get(admin, `/v1/profiles/profile-docs/hosts?owner=${kim.id}`)).body.counts.total).toBe(1);
    expect((await get(jo, `/v1/profiles/profile-docs/hosts?owner=${kim.id}`)).status).toBe(403);
    expect((await get(jo, '/v1/profiles/profile-docs/hosts?owner=me')).body.counts.total).toBe(2);

    // max_age demotes what was not seen lately.
    server.clock.advance(20 * 60_000);
    await post(kim, '/v1/agents/agent-kim-box/heartbeat');
    const fresh = await get(admin, '/v1/profiles/profile-docs/hosts?max_age=10m');
    expect(fresh.body.satisfiable.map((h: {agent: string}) => h.agent)).toEqual(['agent-kim-box']);
    const stale = fresh.body.unsatisfiable.find((h: {agent: string}) => h.agent === 'agent-jo-laptop');
    expect(stale.reasons).toEqual([expect.stringMatching(/last seen \d+s ago/)]);
    expect(stale.age_seconds).toBeGreaterThanOrEqual(20 * 60);

    expect((await get(jo, '/v1/profiles/profile-docs/hosts?max_age=soon')).status).toBe(422);
    expect((await get(jo, '/v1/profiles/profile-docs/hosts?owner=kim')).status).toBe(422);
    expect((await get(jo, '/v1/profiles/profile-nope/hosts')).status).toBe(404);
    expect((await get(jo, `/v1/profiles/${jo.id}/hosts`)).status).toBe(404);
  });
});
