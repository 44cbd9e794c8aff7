import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {graphCodec} from '../../../../plugins/graph/store/codec.js';
import {graphProjection, type GraphSlice} from '../../../../plugins/graph/store/projection.js';
import {defaultRanker, scoreOf} from '../../../../plugins/graph/queue/queue.js';
import type {GraphView, QueueItem, QueueOptions, QueueResult} from '../../../../plugins/graph/api.js';
import {IndexedGraph} from '../../../../plugins/graph/view/view.js';
import {stored} from '../../../helpers/spec.js';
import {NOW, fixtureGraph, graphOf} from './fixture.js';

/** The slice as the projector stores it (the queue's order with it) and reads it back. */
const storedAndRead = (slice: GraphSlice): GraphSlice => {
  const {head, parts = {}} = graphCodec.encode(slice);
  expect(parts).toHaveProperty(['derived.queue']);
  return graphCodec.decode(JSON.parse(JSON.stringify(head)), (name) =>
    name in parts ? Buffer.from(parts[name] as string) : undefined,
  );
};

describe('the default ranking on the fixture graph', () => {
  const {view} = fixtureGraph();
  const all = defaultRanker.rank(view, {now: NOW});

  it('ranks open work: priority first, then what it unblocks, then age', () => {
    expect(all.items.map((i) => i.id)).toEqual([
      'task-urgent', // p1
      'task-blocker', // p2, unblocks two
      'issue-flaky', // p2
      'task-assigned-person', // p3
      'task-assigned-agent',
      'task-still-open',
      'question-open',
      'task-stamped',
      'finding-drift', // a finding is queued, as the reference queues them (issue 12.8)
      'task-free',
      'task-awake', // no priority, oldest first
    ]);
  });

  it('hides blocked and dormant items and counts them; resolved and inert nodes are not open at all', () => {
    expect(all.counts).toEqual({open: 14, shown: 11, blocked: 2, dormant: 1, filtered: 0});
    const ids = all.items.map((i) => i.id);
    for (const hidden of [
      'task-blocked',
      'task-chain',
      'task-sleeping',
      'task-done',
      'task-lagging',
      'question-answered',
    ])
      expect(ids).not.toContain(hidden);
  });

  it('gives each item its score, readiness and a short why', () => {
    const blocker = all.items.find((i) => i.id === 'task-blocker');
    expect(blocker).toEqual({
      id: 'task-blocker',
      type: 'task',
      title: 'Land the schema migration',
      repo: 'web',
      priority: 'p2',
      score: scoreOf('p2', 2, 61),
      readiness: 'untriaged',
      why: 'p2 · unblocks 2 · 61 days old',
    });
    expect(all.items.map((i) => i.readiness)).toEqual([
      'human',
      'untriaged',
      'untriaged',
      'human',
      'agent',
      'untriaged',
      'human',
      'agent',
      'untriaged',
      'untriaged',
      'untriaged',
    ]);
    expect(all.items[0]?.why).toBe('p1 · 11 days old');
  });

  it('filters by repo and type, counting what it filtered', () => {
    const api = defaultRanker.rank(view, {now: NOW, repo: 'api'});
    expect(api.items.map((i) => i.id)).toEqual([
      'task-assigned-person',
      'task-assigned-agent',
      'task-still-open',
      'task-stamped',
    ]);
    expect(api.counts.filtered).toBe(10);
    expect(defaultRanker.rank(view, {now: NOW, types: ['issue', 'question']}).items.map((i) => i.id)).toEqual([
      'issue-flaky',
      'question-open',
    ]);
    expect(defaultRanker.rank(view, {now: NOW, excludeTypes: ['task']}).items.map((i) => i.id)).toEqual([
      'issue-flaky',
      'question-open',
      'finding-drift',
    ]);
  });

  it('limits what it shows, not what it counts', () => {
    const top = defaultRanker.rank(view, {now: NOW, limit: 3});
    expect(top.items.map((i) => i.id)).toEqual(['task-urgent', 'task-blocker', 'issue-flaky']);
    expect(top.counts).toMatchObject({open: 14, shown: 3, blocked: 2, dormant: 1});
  });

  it('any limit shows exactly the head of the full ranking', () => {
    const ids = all.items.map((i) => i.id);
    for (let limit = 1; limit <= ids.length; limit += 1) {
      expect(defaultRanker.rank(view, {now: NOW, limit}).items.map((i) => i.id)).toEqual(ids.slice(0, limit));
    }
  });

  it('a node wakes once its date has passed', () => {
    const later = defaultRanker.rank(view, {now: new Date('2099-06-01T00:00:00Z'), limit: 1});
    expect(later.items.map((i) => i.id)).toEqual(['task-sleeping']);
    expect(later.counts.dormant).toBe(0);
  });
});

describe('unblocking counts', () => {
  it('counts open nodes held up transitively, once each, through cycles, and stops at resolved ones', () => {
    const n = (id: string, status = 'open') => ({
      type: 'node-added',
      data: {node: {id, type: 'task', title: id, created: '2026-06-01', status}},
    });
    const b = (from: string, to: string) => ({type: 'edge-added', data: {edge: {from, type: 'blocks', to}}});
    const {view} = graphOf([
      n('task-a'),
      n('task-b'),
      n('task-c'),
      n('task-d'),
      n('task-e', 'done'),
      n('task-f'),
      b('task-a', 'task-b'),
      b('task-a', 'task-c'),
      b('task-b', 'task-d'),
      b('task-c', 'task-d'),
      b('task-d', 'task-b'),
      b('task-a', 'task-e'),
      b('task-e', 'task-f'),
    ]);
    const [top] = defaultRanker.rank(view, {now: NOW}).items;
    expect(top?.id).toBe('task-a');
    expect(top?.why).toBe('no priority · unblocks 3 · 30 days old');
  });
});

describe('scores', () => {
  it('order exactly as the rule reads: priority, then unblocks, then age', () => {
    const p = fc.constantFrom(undefined, 'p1', 'p2', 'p3');
    const item = fc.tuple(p, fc.nat(999), fc.nat(999));
    const weight = (x: string | undefined): number => (({p1: 3, p2: 2, p3: 1}) as Record<string, number>)[x ?? ''] ?? 0;
    fc.assert(
      fc.property(item, item, ([pa, ua, aa], [pb, ub, ab]) => {
        const lexical = Math.sign(weight(pa) - weight(pb) || ua - ub || aa - ab);
        expect(Math.sign(scoreOf(pa, ua, aa) - scoreOf(pb, ub, ab))).toBe(lexical);
      }),
    );
  });
});

/** The ranking as the rule reads, the slow way, through the public GraphView only: the oracle. */
const oracle = (view: GraphView, opts: QueueOptions): QueueResult => {
  const counts = {open: 0, shown: 0, blocked: 0, dormant: 0, filtered: 0};
  const now = opts.now.getTime();
  const all: Array<{id: string; score: number; age: number; item: QueueItem}> = [];
  for (const node of view.nodes()) {
    if (!['task', 'issue', 'question'].includes(node.type) || view.isResolved(node.id)) continue;
    counts.open += 1;
    if (
      (opts.repo !== undefined && node.repo !== opts.repo) ||
      (opts.types?.length && !opts.types.includes(node.type)) ||
      opts.excludeTypes?.includes(node.type)
    ) {
      counts.filtered += 1;
      continue;
    }
    if (view.openBlockers(node.id).length > 0) {
      counts.blocked += 1;
      continue;
    }
    if (node.wake !== undefined && Date.parse(node.wake) > now) {
      counts.dormant += 1;
      continue;
    }
    const seen = new Set([node.id]);
    const walk = [node.id];
    let unblocks = 0;
    while (walk.length > 0) {
      for (const e of view.outbound(walk.pop() as string, 'blocks')) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        if (view.meta(e.to) === undefined || view.isResolved(e.to)) continue;
        unblocks += 1;
        walk.push(e.to);
      }
    }
    const created = Date.parse(node.created);
    const age = Number.isNaN(created) ? 0 : Math.max(0, Math.floor((now - created) / 86_400_000));
    const score = scoreOf(node.priority, unblocks, age);
    all.push({
      id: node.id,
      score,
      age,
      item: {
        id: node.id,
        type: node.type,
        title: node.title,
        repo: node.repo,
        priority: node.priority,
        score,
        readiness: view.readiness(node.id).readiness,
        why: `${node.priority ?? 'no priority'}${unblocks > 0 ? ` · unblocks ${unblocks}` : ''} · ${age === 0 ? 'new today' : age === 1 ? '1 day old' : `${age} days old`}`,
      },
    });
  }
  all.sort((a, b) => b.score - a.score || b.age - a.age || (a.id < b.id ? -1 : 1));
  const items = all.slice(0, opts.limit && opts.limit > 0 ? opts.limit : all.length).map((x) => x.item);
  return {items, counts: {...counts, shown: items.length}};
};

describe('the ranking against the rule, on random graphs', () => {
  // Few distinct days and times within them, so that many items tie on age (while their creation
  // times differ) and the smaller id has to decide.
  const day = fc.constantFrom(
    '2026-05-01T01:00:00Z',
    '2026-05-01T18:00:00Z',
    '2026-05-01T23:00:00Z',
    '2026-05-20',
    'not a date',
    '2026-09-01',
  );
  const id = fc.integer({min: 0, max: 24}).map((n) => `task-${n}`);
  const nodeDraft = fc
    .record({
      id,
      type: fc.constantFrom('task', 'issue', 'question', 'decision'),
      created: day,
      status: fc.constantFrom('open', 'open', 'open', 'done', 'rejected'),
      priority: fc.option(fc.constantFrom('p1', 'p2'), {nil: undefined, freq: 2}),
      repo: fc.option(fc.constantFrom('web', 'api'), {nil: undefined}),
      wake: fc.option(fc.constantFrom('2026-06-15', '2027-01-01'), {nil: undefined}),
    })
    .map((node) => ({type: 'node-added', data: {node: {...node, title: node.id}}}));
  const edgeDraft = fc
    .tuple(id, fc.constantFrom('blocks', 'blocks', 'resolves', 'answers', 'relates-to'), id)
    .filter(([f, , t]) => f !== t)
    .map(([from, type, to]) => ({type: 'edge-added', data: {edge: {from, type, to}}}));
  const options = fc.record({
    limit: fc.constantFrom(0, 1, 2, 3, 5, 10),
    repo: fc.option(fc.constantFrom('web', 'api'), {nil: undefined}),
    types: fc.option(fc.constantFrom(['task'], ['issue', 'question']), {nil: undefined}),
    now: fc.constantFrom('2026-06-01T00:30:00Z', '2026-06-01T20:00:00Z', '2026-07-10T12:00:00Z'),
  });

  it('shows and counts what the rule says, from a stored queue order as from a fresh one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({weight: 2, arbitrary: nodeDraft}, {weight: 1, arbitrary: edgeDraft}), {
          minLength: 15,
          maxLength: 60,
        }),
        options,
        (drafts, o) => {
          const {view, slice} = graphOf(drafts);
          const opts: QueueOptions = {
            limit: o.limit,
            repo: o.repo,
            types: o.types ? [...o.types] : undefined,
            now: new Date(o.now),
          };
          const expected = oracle(view, opts);
          expect(defaultRanker.rank(view, opts)).toEqual(expected);
          expect(defaultRanker.rank(new IndexedGraph(storedAndRead(slice)), opts)).toEqual(expected);
        },
      ),
      {numRuns: 400},
    );
  });

  it('cuts a run of items tied in score and age by id, wherever the limit falls', () => {
    const tied = fc
      .record({
        id,
        created: fc.constantFrom('2026-05-01T01:00:00Z', '2026-05-01T18:00:00Z', '2026-05-01T12:00:00Z'),
        priority: fc.option(fc.constantFrom('p1'), {nil: undefined, freq: 4}),
      })
      .map((node) => ({type: 'node-added', data: {node: {...node, type: 'task', title: node.id, status: 'open'}}}));
    fc.assert(
      fc.property(fc.array(tied, {minLength: 2, maxLength: 20}), fc.integer({min: 1, max: 6}), (drafts, limit) => {
        const {view} = graphOf(drafts);
        const opts = {limit, now: new Date('2026-06-01T20:00:00Z')};
        expect(defaultRanker.rank(view, opts)).toEqual(oracle(view, opts));
      }),
      {numRuns: 300},
    );
  });

  it('past the limit, an item tied in score and age with the last one shown can still win on its id', () => {
    const n = (id: string, created: string) => ({
      type: 'node-added',
      data: {node: {id, type: 'task', title: id, created, status: 'open'}},
    });
    // task-9 is older by the clock, but both are 31 days old: the smaller id comes first.
    const {view} = graphOf([n('task-9', '2026-05-01T01:00:00Z'), n('task-1', '2026-05-01T18:00:00Z')]);
    expect(defaultRanker.rank(view, {now: new Date('2026-06-01T20:00:00Z'), limit: 1}).items.map((i) => i.id)).toEqual([
      'task-1',
    ]);
  });

  it('does not trust a stored order once the slice changed after it was read', () => {
    const {slice} = graphOf([
      {type: 'node-added', data: {node: {id: 'task-a', type: 'task', title: 'a', created: '2026-05-01'}}},
    ]);
    const read = storedAndRead(slice);
    graphProjection.apply(
      read,
      stored([
        {
          type: 'node-added',
          data: {node: {id: 'task-b', type: 'task', title: 'b', created: '2026-04-01', priority: 'p1'}},
        },
      ])[0]!,
    );
    expect(defaultRanker.rank(new IndexedGraph(read), {now: NOW}).items.map((i) => i.id)).toEqual(['task-b', 'task-a']);
  });
});
