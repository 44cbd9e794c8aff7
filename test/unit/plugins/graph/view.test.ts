import {describe, expect, it} from 'vitest';
import {fixtureGraph, graphOf} from './fixture.js';

describe('resolution', () => {
  const {view} = fixtureGraph();

  it('a terminal status resolves a node', () => {
    expect(view.resolution('task-done')).toEqual({by: 'status', status: 'done'});
  });

  it('a live inbound resolves or answers edge resolves a node whatever its status says', () => {
    expect(view.resolution('task-lagging')).toEqual({by: 'edge', type: 'resolves', from: 'decision-region'});
    expect(view.resolution('question-answered')).toEqual({by: 'edge', type: 'answers', from: 'decision-region'});
  });

  it('an edge from a rejected node is not live, so it resolves nothing', () => {
    expect(view.inbound('task-still-open', 'resolves')).toHaveLength(1);
    expect(view.isResolved('task-still-open')).toBe(false);
  });

  it('an edge from a node that does not exist is not live either', () => {
    const {view: v} = graphOf([
      {type: 'node-added', data: {node: {id: 'task-a', type: 'task', title: 'a', created: '2026-01-01'}}},
      {type: 'edge-added', data: {edge: {from: 'decision-gone', type: 'resolves', to: 'task-a'}}},
    ]);
    expect(v.isResolved('task-a')).toBe(false);
  });

  it('open nodes and missing ids are unresolved', () => {
    expect(view.isResolved('task-blocker')).toBe(false);
    expect(view.isResolved('no-such-node')).toBe(false);
  });
});

describe('readiness (human wins)', () => {
  const {view} = fixtureGraph();
  it.each([
    ['task-urgent', 'human', ['requires human']],
    ['task-assigned-person', 'human', ['assigned to person-ada']],
    ['question-open', 'human', ['open question']],
    ['task-stamped', 'agent', ['marked ready (spor ready)']],
    ['task-assigned-agent', 'agent', ['assigned to agent-ci']],
    ['task-free', 'untriaged', ['not marked ready and not assigned']],
  ])('%s is %s', (id, readiness, reasons) => {
    expect(view.readiness(id)).toEqual({readiness, reasons});
  });

  it('an answered question is no longer human by virtue of being a question', () => {
    expect(view.readiness('question-answered').readiness).toBe('untriaged');
  });
});

describe('blocking', () => {
  const {view} = fixtureGraph();
  it('an unresolved blocks edge into a node makes its source an open blocker', () => {
    expect(view.openBlockers('task-blocked').map((n) => n.id)).toEqual(['task-blocker']);
    expect(view.openBlockers('task-chain').map((n) => n.id)).toEqual(['task-blocked']);
  });
  it('a resolved blocker blocks nothing', () => {
    expect(view.inbound('task-free', 'blocks')).toHaveLength(1);
    expect(view.openBlockers('task-free')).toEqual([]);
  });
});

describe('node text', () => {
  it('is read from the log only for the nodes asked for, once', () => {
    const {view, source, slice} = fixtureGraph();
    expect(view.meta('task-blocked')).not.toHaveProperty('summary');
    expect(source.asked).toEqual([]);
    const node = view.node('task-blocked');
    expect(node).toMatchObject({
      summary: 'Indexer rewrite that waits on the schema migration.',
      body: 'Cannot start until the migration is in.',
      extra: {owner_team: 'search'},
    });
    expect(source.asked).toEqual(slice.textRefsAt(slice.indexOf('task-blocked') as number).map((r) => r.seq));
    view.node('task-blocked');
    expect(source.asked).toHaveLength(1);
  });

  it('folds later updates and unsets of text fields', () => {
    const {view} = graphOf([
      {
        type: 'node-added',
        data: {node: {id: 'task-a', type: 'task', title: 'a', created: '2026-01-01', summary: 'one', body: 'b'}},
      },
      {type: 'node-updated', data: {id: 'task-a', set: {summary: 'two'}, unset: ['body']}},
    ]);
    expect(view.node('task-a')).toEqual({
      id: 'task-a',
      type: 'task',
      title: 'a',
      created: '2026-01-01',
      summary: 'two',
    });
  });

  it('load() fetches many nodes in one call, and state holds every node whole', () => {
    const {view, source, slice} = fixtureGraph();
    view.load();
    const asked = source.asked.length;
    expect(asked).toBe(Array.from({length: slice.size}, (_, i) => slice.textRefsAt(i).map((r) => r.seq)).flat().length);
    expect(view.state.nodes['norm-node']).toMatchObject({
      applies_to_tags: ['node'],
      summary: 'Repos tagged node pin their Node version in .nvmrc.',
    });
    expect(view.state.edges['task-assigned-agent assigned agent-ci']).toEqual({
      from: 'task-assigned-agent',
      type: 'assigned',
      to: 'agent-ci',
      attrs: {profile: 'profile-fast'},
    });
    expect(source.asked.length).toBe(asked);
  });
});

describe('indexes', () => {
  const {view} = fixtureGraph();
  it('lists edges both ways, inert and dangling ones included', () => {
    expect(
      view
        .outbound('finding-drift')
        .map((e) => `${e.type} ${e.to}`)
        .sort(),
    ).toEqual(['derived-from task-blocked', 'relates-to ghost-node']);
    expect(
      view
        .inbound('task-blocked')
        .map((e) => `${e.from} ${e.type}`)
        .sort(),
    ).toEqual(['finding-drift derived-from', 'question-open relates-to', 'task-blocker blocks']);
  });
  it('answers edge questions the same before and after it builds its index of all edges', () => {
    const sorted = (edges: Array<{from: string; type: string; to: string}>) =>
      edges.map((e) => `${e.from} ${e.type} ${e.to}`).sort();
    const fresh = fixtureGraph().view;
    const ids = fresh.nodes().map((n) => n.id);
    // Early questions scan the edge list; later ones (past a handful) use one index.
    const early = ids.map((id) => [sorted(fresh.outbound(id)), sorted(fresh.inbound(id))]);
    const late = ids.map((id) => [sorted(fresh.outbound(id)), sorted(fresh.inbound(id))]);
    expect(late).toEqual(early);
    const all = Object.keys(fresh.state.edges).length;
    expect(early.flatMap(([out]) => out)).toHaveLength(all);
    // Every edge but the one to the missing ghost-node arrives at a node.
    expect(early.flatMap(([, into]) => into)).toHaveLength(all - 1);
  });

  it('lists nodes by type without their text', () => {
    expect(
      view
        .nodes('norm')
        .map((n) => n.id)
        .sort(),
    ).toEqual(['norm-global', 'norm-node', 'norm-python', 'norm-retired', 'norm-web']);
    expect(view.nodes().every((n) => !('summary' in n))).toBe(true);
  });
});
