import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {EventDraft} from '../../../../core/events.js';
import {graphProjection, type GraphSlice} from '../../../../plugins/graph/store/projection.js';
import {graphCodec} from '../../../../plugins/graph/store/codec.js';
import {IndexedGraph} from '../../../../plugins/graph/view/view.js';
import {stored} from '../../../helpers/spec.js';
import {graphOf} from './fixture.js';

const node = (id: string, more: Record<string, unknown> = {}) => ({
  type: 'node-added',
  data: {node: {id, type: 'task', title: id, created: '2026-01-01', ...more}},
});
const edge = (from: string, type: string, to: string, attrs?: Record<string, string>) => ({
  type: 'edge-added',
  data: {edge: {from, type, to, ...(attrs ? {attrs} : {})}},
});

const ids = (slice: GraphSlice): Array<string> => Array.from({length: slice.size}, (_, i) => slice.idAt(i));

/** What the projector does with a slice: encode it, store the parts as bytes, decode them. */
const roundTrip = (slice: GraphSlice): GraphSlice => {
  const {head, parts = {}} = graphCodec.encode(slice);
  const bytes = new Map(Object.entries(parts).map(([name, text]) => [name, Buffer.from(text)]));
  return graphCodec.decode(JSON.parse(JSON.stringify(head)), (name) => bytes.get(name));
};

/** Everything a reader can see of a slice: whole metas, text seqs, every edge with its attrs. */
const seen = (slice: GraphSlice) => {
  const view = new IndexedGraph(slice);
  return {
    nodes: ids(slice).map((id, i) => ({
      meta: view.meta(id),
      text: slice.textRefsAt(i).map((r) => r.seq),
      created: slice.createdMsAt(i),
    })),
    edges: slice.edgeTypes().flatMap((t) => ids(slice).flatMap((id) => view.outbound(id, t))),
    dangling: slice.edgeTypes().flatMap((t) => view.outbound('ghost-1', t).concat(view.inbound('ghost-1', t))),
  };
};

describe('graph projection', () => {
  it('keeps node text out of the slice and remembers which events carry it', () => {
    const {slice, view} = graphOf([
      node('task-a', {summary: 'short', body: 'long', extra: {owner: 'x'}, priority: 'p1'}),
      node('task-b'),
      {type: 'node-updated', data: {id: 'task-a', set: {status: 'done'}}},
      {type: 'node-updated', data: {id: 'task-a', set: {summary: 'shorter'}, unset: ['priority']}},
    ]);
    expect(ids(slice)).toEqual(['task-a', 'task-b']);
    expect(view.meta('task-a')).toEqual({
      id: 'task-a',
      type: 'task',
      title: 'task-a',
      created: '2026-01-01',
      status: 'done',
    });
    expect(slice.textRefsAt(0).map((r) => r.seq)).toEqual([1, 4]);
    expect(slice.textRefsAt(1).map((r) => r.seq)).toEqual([]);
  });

  it('stores edges once per from/type/to, with their attributes, and removes them', () => {
    const {slice, view} = graphOf([
      node('task-a'),
      node('agent-b', {type: 'agent'}),
      edge('task-a', 'assigned', 'agent-b', {profile: 'profile-x'}),
      edge('task-a', 'assigned', 'agent-b', {profile: 'profile-y'}),
      edge('task-a', 'relates-to', 'agent-b'),
      {type: 'edge-removed', data: {from: 'task-a', type: 'relates-to', to: 'agent-b'}},
    ]);
    expect(slice.edgeTypes()).toEqual(['assigned']);
    expect(view.outbound('task-a')).toEqual([
      {from: 'task-a', type: 'assigned', to: 'agent-b', attrs: {profile: 'profile-y'}},
    ]);
    expect(slice.hasEdge('task-a', 'relates-to', 'agent-b')).toBe(false);
  });

  it('ignores updates to nodes it never saw, and ids that shadow Object.prototype are plain ids', () => {
    const {slice, view} = graphOf([
      {type: 'node-updated', data: {id: 'ghost', set: {status: 'done'}}},
      node('constructor'),
      edge('constructor', 'blocks', 'task-x'),
    ]);
    expect(ids(slice)).toEqual(['constructor']);
    expect(view.outbound('constructor')).toEqual([{from: 'constructor', type: 'blocks', to: 'task-x'}]);
    expect(view.meta('toString')).toBeUndefined();
  });

  it('a node added again under its id replaces it in place', () => {
    const {slice, view} = graphOf([node('task-a', {priority: 'p1'}), node('task-b'), node('task-a', {title: 'again'})]);
    expect(ids(slice)).toEqual(['task-a', 'task-b']);
    expect(view.meta('task-a')).toEqual({id: 'task-a', type: 'task', title: 'again', created: '2026-01-01'});
  });

  it('edges to an id no node has point at the node once it arrives', () => {
    const {slice, view} = graphOf([
      node('task-a'),
      edge('task-a', 'blocks', 'task-late'),
      edge('task-late', 'relates-to', 'task-a'),
      node('task-late'),
    ]);
    expect(view.openBlockers('task-late').map((n) => n.id)).toEqual(['task-a']);
    expect(view.outbound('task-late')).toEqual([{from: 'task-late', type: 'relates-to', to: 'task-a'}]);
    expect(seen(roundTrip(slice))).toEqual(seen(slice));
  });

  it('keeps every field a node can have', () => {
    const full = {
      id: 'profile-x',
      type: 'profile',
      title: 'X',
      created: '2026-01-01',
      status: 'active',
      priority: 'p1' as const,
      repo: 'web',
      wake: '2027-01-01',
      requires: ['human'],
      readiness: 'agent' as const,
      tags: ['a'],
      applies_to_tags: ['b'],
      email: 'e@x',
      identity: 'spiffe://x',
      pubkey: 'fp',
      harness: 'codex',
      model: 'm',
      mcp: ['gh'],
      skills: ['s'],
      plugins: ['p'],
    };
    const {slice, view} = graphOf([{type: 'node-added', data: {node: full}}]);
    expect(view.meta('profile-x')).toEqual(full);
    expect(new IndexedGraph(roundTrip(slice)).meta('profile-x')).toEqual(full);
  });

  it('leaves the slice untouched for event types it does not know', () => {
    const {slice} = graphOf([node('task-a'), edge('task-a', 'blocks', 'task-b')]);
    const before = seen(slice);
    expect(graphProjection.apply(slice, stored([{type: 'config-set', data: {key: 'a', value: 1}}])[0]!)).toBe(slice);
    expect(seen(slice)).toEqual(before);
  });

  it('a repo-added brings the repo-<slug> node once; an existing node is left as it is', () => {
    const [first, again] = stored([
      {type: 'repo-added', data: {slug: 'web', path: '/a'}},
      {type: 'repo-added', data: {slug: 'web', path: '/b'}},
    ]);
    const s = graphProjection.apply(graphProjection.initial(), first!);
    expect(new IndexedGraph(s).nodes()).toEqual([{id: 'repo-web', type: 'repo', title: 'web', created: first!.at}]);
    expect(graphProjection.apply(s, again!).size).toBe(1);
  });
});

describe('the stored graph slice', () => {
  const id = fc.constantFrom('task-a', 'task-b', 'issue-c', 'decision-d', 'ghost-1', 'constructor', 'tâche-é');
  const text = fc.string({maxLength: 12});
  const drafts: fc.Arbitrary<Array<EventDraft>> = fc.array(
    fc.oneof(
      fc
        .record({
          id,
          type: fc.constantFrom('task', 'issue', 'decision', 'question'),
          title: text,
          status: fc.option(fc.constantFrom('open', 'done', 'rejected'), {nil: undefined}),
          summary: fc.option(text, {nil: undefined}),
          tags: fc.option(fc.array(fc.constantFrom('x', 'y')), {nil: undefined}),
        })
        .map((n) => ({type: 'node-added', data: {node: {...n, created: '2026-03-01T10:00:00.000Z'}}})),
      fc
        .record({id, set: fc.record({status: fc.constantFrom('open', 'done'), body: text}, {requiredKeys: []})})
        .map((d) => ({type: 'node-updated', data: d})),
      fc
        .tuple(
          id,
          fc.constantFrom('blocks', 'resolves', 'relates-to', 'derived-from'),
          id,
          fc.option(fc.record({profile: text}), {nil: undefined}),
        )
        .filter(([f, , t]) => f !== t)
        .map(([from, type, to, attrs]) => edge(from, type, to, attrs)),
      fc
        .tuple(id, fc.constantFrom('blocks', 'relates-to'), id)
        .map(([from, type, to]) => ({type: 'edge-removed', data: {from, type, to}})),
    ),
    {maxLength: 40},
  );

  it('reads back what was stored, and folds on from it exactly as from the live slice', () => {
    fc.assert(
      fc.property(drafts, drafts, (before, after) => {
        const events = stored([...before, ...after]);
        const live = events.reduce((s, e) => graphProjection.apply(s, e), graphProjection.initial());
        const resumed = events
          .slice(before.length)
          .reduce(
            (s, e) => graphProjection.apply(s, e),
            roundTrip(
              events.slice(0, before.length).reduce((s, e) => graphProjection.apply(s, e), graphProjection.initial()),
            ),
          );
        expect(seen(resumed)).toEqual(seen(live));
        expect(seen(roundTrip(live))).toEqual(seen(live));
      }),
      {numRuns: 300},
    );
  });

  it('refuses a stored slice with a part missing, so that the projector rebuilds it', () => {
    const {slice} = graphOf([node('task-a'), node('task-b'), edge('task-a', 'blocks', 'task-b')]);
    const {head, parts = {}} = graphCodec.encode(slice);
    // Derived parts (the queue's order) are a cache: without one, it is computed again.
    for (const missing of Object.keys(parts).filter((name) => !name.startsWith('derived.'))) {
      expect(() =>
        graphCodec.decode(head, (name) => (name === missing ? undefined : Buffer.from(parts[name] as string))),
      ).toThrow(/incomplete/);
    }
  });
});
