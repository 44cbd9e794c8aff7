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

const DAY = 24 * 3600_000;

describe.each(await storeKinds())('nodes and the queue (%s store)', (kind) => {
  let server: TeamServerHandle;
  let admin: Member;
  let lu: Member;
  const post = (who: Member, path: string, body?: unknown) => call(server, 'POST', path, {token: who.token, body});
  const get = (who: Member, path: string) => call(server, 'GET', path, {token: who.token});
  const task = (id: string, extra: Record<string, unknown> = {}) => ({
    node: {id, type: 'task', title: id.replace(/^task-/, '').replace(/-/g, ' '), summary: `do ${id}`, ...extra},
  });

  beforeAll(async () => {
    server = await startTeamServer({kind});
    admin = await adminOf(server);
    lu = await memberOf(server, admin, 'Lu');
  });
  afterAll(async () => server.stop());

  it('POST /v1/nodes creates, skips or refuses existing ones, updates with the revision read', async () => {
    const first = await post(lu, '/v1/nodes', {nodes: [task('task-alpha', {repo: 'web', priority: 'p2'})]});
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([
      {status: 'created', id: 'task-alpha', revision: expect.stringMatching(/^[0-9a-f]{40}$/), warnings: []},
    ]);
    const rev = first.body.results[0].revision;
    const again = await post(lu, '/v1/nodes', {nodes: [task('task-alpha')], if_exists: 'skip'});
    expect(again.body.results[0]).toMatchObject({status: 'skipped', id: 'task-alpha', revision: rev});
    const clash = await post(lu, '/v1/nodes', {nodes: [task('task-alpha')]});
    expect(clash.status).toBe(207);
    expect(clash.body.results[0]).toMatchObject({status: 'error', error: {code: 'conflict'}});

    const stale = await post(lu, '/v1/nodes', {
      nodes: [{...task('task-alpha', {status: 'open'}), revision: '0'.repeat(40)}],
    });
    expect(stale.body.results[0]).toMatchObject({
      status: 'error',
      error: {code: 'conflict', details: [{revision: rev}]},
    });
    const updated = await post(lu, '/v1/nodes', {
      nodes: [{...task('task-alpha', {status: 'open', repo: 'web'}), revision: rev}],
    });
    expect(updated.body.results[0]).toMatchObject({status: 'updated', id: 'task-alpha'});
    expect(updated.body.results[0].revision).not.toBe(rev);

    const node = await get(lu, '/v1/nodes/task-alpha');
    expect(node.body).toMatchObject({
      id: 'task-alpha',
      type: 'task',
      title: 'alpha',
      summary: 'do task-alpha',
      status: 'open',
      repo: 'web',
      author: lu.id,
      authored_via: 'rest',
      revision: updated.body.results[0].revision,
      resolved: false,
    });
    expect(node.body.priority).toBeUndefined();
    expect((await get(lu, '/v1/nodes/task-missing')).status).toBe(404);
  });

  it('a batch applies entries in order, reports each, and rolls nothing back (207)', async () => {
    const md = `---\nid: decision-use-pg\ntype: decision\ntitle: Use PostgreSQL\nsummary: one database for the team\nauthor: person-forged\nedges:\n  - {type: resolves, to: task-beta}\n---\nBecause.\n`;
    const batch = await post(lu, '/v1/nodes', {
      nodes: [
        task('task-beta'),
        md,
        {node: {id: 'task-Bad', type: 'task', title: 'x'}},
        {node: {id: 'issue-x', type: 'task', title: 'x', summary: 's'}},
        {node: {id: 'person-mallory', type: 'person', title: 'M', summary: 's'}},
        task('task-gamma', {
          edges: [
            {type: 'blocked-by', to: 'task-beta'},
            {type: 'nonsense', to: 'task-beta'},
          ],
        }),
        task('task-gamma', {edges: [{type: 'blocked-by', to: 'task-beta'}]}),
      ],
    });
    expect(batch.status).toBe(207);
    const [beta, decision, badId, badPrefix, person, badEdge, gamma] = batch.body.results;
    expect(beta.status).toBe('created');
    expect(decision).toMatchObject({status: 'created', id: 'decision-use-pg'});
    expect(badId).toMatchObject({status: 'error', error: {code: 'invalid_node'}});
    expect(badId.error.details).toEqual(
      expect.arrayContaining([expect.stringContaining('kebab-case'), expect.stringContaining('summary')]),
    );
    expect(badPrefix.error.details).toEqual([expect.stringContaining('must start with its type')]);
    expect(person.error.details).toEqual([expect.stringContaining('their own routes')]);
    expect(badEdge.error.details).toEqual([expect.stringContaining("unknown edge type 'nonsense'")]);
    expect(gamma).toMatchObject({
      status: 'created',
      warnings: [expect.stringContaining("written as 'blocks task-gamma' on task-beta")],
    });

    const d = await get(lu, '/v1/nodes/decision-use-pg');
    expect(d.body).toMatchObject({body: 'Because.', author: lu.id, edges: [{type: 'resolves', to: 'task-beta'}]});
    const b = await get(lu, '/v1/nodes/task-beta');
    expect(b.body).toMatchObject({
      resolved: true,
      resolution: {by: 'edge', type: 'resolves', from: 'decision-use-pg'},
      edges: [{type: 'blocks', to: 'task-gamma'}],
    });
  });

  it('edges: add, normalize, flip, dedupe, remove; identity edges and nodes are off limits', async () => {
    await post(lu, '/v1/nodes', {nodes: [task('task-delta'), task('task-eps')]});
    const added = await post(lu, '/v1/nodes/task-delta/edges', {type: 'relates-to', to: 'task-eps'});
    expect(added.body).toEqual({status: 'updated', id: 'task-delta', warnings: []});
    expect((await post(lu, '/v1/nodes/task-delta/edges', {type: 'relates-to', to: 'task-eps'})).body.status).toBe(
      'skipped',
    );
    const attrs = await post(lu, '/v1/nodes/task-delta/edges', {type: 'relates-to', to: 'task-eps', attrs: {why: 'x'}});
    expect(attrs.body.status).toBe('updated');
    const flipped = await post(lu, '/v1/nodes/task-delta/edges', {type: 'blocked-by', to: 'task-eps'});
    expect(flipped.body).toMatchObject({status: 'updated', id: 'task-eps', warnings: [expect.any(String)]});
    expect((await get(lu, '/v1/nodes/task-eps')).body.edges).toEqual([{type: 'blocks', to: 'task-delta'}]);
    expect((await post(lu, '/v1/nodes/task-delta/edges', {type: 'made-up', to: 'task-eps'})).body.error.code).toBe(
      'invalid_node',
    );
    expect((await post(lu, '/v1/nodes/task-delta/edges', {type: 'stewards', to: 'org-root'})).status).toBe(403);
    expect((await post(lu, `/v1/nodes/${lu.id}/edges`, {type: 'relates-to', to: 'task-eps'})).status).toBe(403);
    expect((await post(lu, '/v1/nodes/task-nope/edges', {type: 'relates-to', to: 'task-eps'})).status).toBe(404);

    const removed = await call(server, 'DELETE', '/v1/nodes/task-delta/edges', {
      token: lu.token,
      body: {type: 'relates-to', to: 'task-eps'},
    });
    expect(removed.body).toEqual({status: 'updated', id: 'task-delta', warnings: []});
    const again = await call(server, 'DELETE', '/v1/nodes/task-delta/edges', {
      token: lu.token,
      body: {type: 'relates-to', to: 'task-eps'},
    });
    expect(again.body.status).toBe('skipped');
  });

  it('status, priority and readiness: one scalar each, stamped, unknown values listed', async () => {
    await post(lu, '/v1/nodes', {nodes: [task('task-zeta')]});
    const p = await post(lu, '/v1/nodes/task-zeta/priority', {priority: 'p1'});
    expect(p.body).toMatchObject({status: 'updated', id: 'task-zeta'});
    expect((await post(lu, '/v1/nodes/task-zeta/priority', {priority: 'p1'})).body.status).toBe('skipped');
    const bad = await post(lu, '/v1/nodes/task-zeta/priority', {priority: 'urgent'});
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_node',
      details: [{allowed: expect.arrayContaining(['p1', 'clear'])}],
    });
    const node = await get(lu, '/v1/nodes/task-zeta');
    expect(node.body).toMatchObject({priority: 'p1', priority_by: lu.id, priority_via: 'rest'});
    expect(node.body.priority_at).toBe(server.clock.now().toISOString());
    expect((await post(lu, '/v1/nodes/task-zeta/priority', {priority: 'none'})).body.status).toBe('updated');
    expect((await get(lu, '/v1/nodes/task-zeta')).body.priority).toBeUndefined();

    expect((await post(lu, '/v1/nodes/task-zeta/readiness', {readiness: 'agent'})).body.status).toBe('updated');
    const ready = await get(lu, '/v1/nodes/task-zeta');
    expect(ready.body).toMatchObject({readiness: 'agent', derived_readiness: {readiness: 'agent'}});
    expect((await post(lu, '/v1/nodes/task-zeta/readiness', {readiness: 'human'})).status).toBe(422);

    expect((await post(lu, '/v1/nodes/task-zeta/status', {status: 'done'})).body.status).toBe('updated');
    expect((await get(lu, '/v1/nodes/task-zeta')).body).toMatchObject({status: 'done', resolved: true});
    expect((await post(lu, '/v1/nodes/task-zeta/status', {status: 'Not A Status'})).status).toBe(422);
  });

  it('the queue ranks with the graph’s rules, counts the whole set, pages, filters', async () => {
    await post(lu, '/v1/nodes', {
      nodes: [
        task('task-q1', {priority: 'p1', repo: 'api'}),
        task('task-q2', {priority: 'p3', repo: 'api'}),
        {node: {id: 'issue-q3', type: 'issue', title: 'q3', summary: 's', priority: 'p2', repo: 'web'}},
        {node: {id: 'question-q4', type: 'question', title: 'why', summary: 's'}},
        task('task-q5', {wake: new Date(server.clock.now().getTime() + 3 * DAY).toISOString()}),
      ],
    });
    const q = await get(lu, '/v1/queue?limit=2');
    expect(q.status).toBe(200);
    expect(q.body.items.map((i: {id: string}) => i.id)).toEqual(['task-q1', 'issue-q3']);
    expect(q.body).toMatchObject({count: 2, offset: 0, returned_count: 2, truncated: true, next_offset: 2});
    expect(q.body.total_count).toBeGreaterThan(4);
    expect(q.body.items[0]).toMatchObject({type: 'task', project: 'api', priority: 'p1'});
    expect(q.body.dormant).toBe(1);
    expect(q.body.counts_by_type.task).toBeGreaterThan(1);
    expect(q.body.questions.map((x: {id: string}) => x.id)).toContain('question-q4');
    expect(q.body.asked.map((x: {id: string}) => x.id)).toContain('question-q4');

    const api = await get(lu, '/v1/queue?project=repo-api');
    expect(api.body.items.map((i: {id: string}) => i.id)).toEqual(['task-q1', 'task-q2']);
    expect((await get(lu, '/v1/queue?project=api&type=issue')).body.total_count).toBe(0);
    const issues = await get(lu, '/v1/queue?type=issue&type=question');
    expect(new Set(issues.body.items.map((i: {type: string}) => i.type))).toEqual(new Set(['issue', 'question']));
    expect((await get(lu, '/v1/queue?exclude_type=task,question')).body.items.map((i: {id: string}) => i.id)).toEqual([
      'issue-q3',
    ]);
    // Clamped, not rejected.
    expect((await get(lu, '/v1/queue?limit=1000')).body.count).toBeLessThanOrEqual(100);
    const page2 = await get(lu, '/v1/queue?limit=2&offset=2');
    expect(page2.body.offset).toBe(2);

    await post(lu, '/v1/nodes/task-q2/claim');
    const carried = await get(admin, `/v1/queue?assignee=${lu.id}`);
    expect(carried.body.items.map((i: {id: string}) => i.id)).toEqual(['task-q2']);
    expect((await get(lu, '/v1/queue?assignee=me')).body.items.map((i: {id: string}) => i.id)).toEqual(['task-q2']);
    expect((await get(lu, '/v1/queue?limit=ten')).status).toBe(422);
  });

  it('status counts the graph; changes and export answer 501 unimplemented', async () => {
    const s = await get(lu, '/v1/status?titles=1');
    expect(s.body).toMatchObject({node_count: expect.any(Number), metrics: {store: kind}});
    expect(s.body.projects.api).toBe(2);
    expect(s.body.titles.find((t: {id: string}) => t.id === 'task-q1')).toEqual({
      id: 'task-q1',
      type: 'task',
      project: 'api',
      title: 'q1',
    });
    for (const path of ['/v1/changes?since=abc1234', '/v1/export']) {
      const r = await get(lu, path);
      expect(r.status).toBe(501);
      expect(r.body.error.code).toBe('unimplemented');
    }
  });
});
