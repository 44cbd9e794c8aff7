import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {defaultRanker, scoreOf} from '../../../../plugins/graph/queue.js';
import {NOW, fixtureGraph, graphOf} from './fixture.js';

describe('the default ranking on the fixture graph', () => {
  const {view} = fixtureGraph();
  const all = defaultRanker.rank(view, {now: NOW});

  it('ranks open work: priority first, then what it unblocks, then age', () => {
    expect(all.items.map((i) => i.id)).toEqual([
      'task-urgent', // p1
      'task-blocker', // p2, unblocks two
      'issue-flaky', // p2
      'task-assigned-person', // p3
      'task-assigned-agent', 'task-still-open', 'question-open', 'task-stamped', 'task-free', 'task-awake', // no priority, oldest first
    ]);
  });

  it('hides blocked and dormant items and counts them; resolved and inert nodes are not open at all', () => {
    expect(all.counts).toEqual({open: 13, shown: 10, blocked: 2, dormant: 1, filtered: 0});
    const ids = all.items.map((i) => i.id);
    for (const hidden of ['task-blocked', 'task-chain', 'task-sleeping', 'task-done', 'task-lagging', 'question-answered', 'finding-drift']) expect(ids).not.toContain(hidden);
  });

  it('gives each item its score, readiness and a short why', () => {
    const blocker = all.items.find((i) => i.id === 'task-blocker');
    expect(blocker).toEqual({id: 'task-blocker', type: 'task', title: 'Land the schema migration', repo: 'web', priority: 'p2',
      score: scoreOf('p2', 2, 61), readiness: 'untriaged', why: 'p2 · unblocks 2 · 61 days old'});
    expect(all.items.map((i) => i.readiness)).toEqual(['human', 'untriaged', 'untriaged', 'human', 'agent', 'untriaged', 'human', 'agent', 'untriaged', 'untriaged']);
    expect(all.items[0]?.why).toBe('p1 · 11 days old');
  });

  it('filters by repo and type, counting what it filtered', () => {
    const api = defaultRanker.rank(view, {now: NOW, repo: 'api'});
    expect(api.items.map((i) => i.id)).toEqual(['task-assigned-person', 'task-assigned-agent', 'task-still-open', 'task-stamped']);
    expect(api.counts.filtered).toBe(9);
    expect(defaultRanker.rank(view, {now: NOW, types: ['issue', 'question']}).items.map((i) => i.id)).toEqual(['issue-flaky', 'question-open']);
    expect(defaultRanker.rank(view, {now: NOW, excludeTypes: ['task']}).items.map((i) => i.id)).toEqual(['issue-flaky', 'question-open']);
  });

  it('limits what it shows, not what it counts', () => {
    const top = defaultRanker.rank(view, {now: NOW, limit: 3});
    expect(top.items.map((i) => i.id)).toEqual(['task-urgent', 'task-blocker', 'issue-flaky']);
    expect(top.counts).toMatchObject({open: 13, shown: 3, blocked: 2, dormant: 1});
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
    const n = (id: string, status = 'open') => ({type: 'node-added', data: {node: {id, type: 'task', title: id, created: '2026-06-01', status}}});
    const b = (from: string, to: string) => ({type: 'edge-added', data: {edge: {from, type: 'blocks', to}}});
    const {view} = graphOf([n('task-a'), n('task-b'), n('task-c'), n('task-d'), n('task-e', 'done'), n('task-f'),
      b('task-a', 'task-b'), b('task-a', 'task-c'), b('task-b', 'task-d'), b('task-c', 'task-d'), b('task-d', 'task-b'), b('task-a', 'task-e'), b('task-e', 'task-f')]);
    const [top] = defaultRanker.rank(view, {now: NOW}).items;
    expect(top?.id).toBe('task-a');
    expect(top?.why).toBe('no priority · unblocks 3 · 30 days old');
  });
});

describe('scores', () => {
  it('order exactly as the rule reads: priority, then unblocks, then age', () => {
    const p = fc.constantFrom(undefined, 'p1', 'p2', 'p3');
    const item = fc.tuple(p, fc.nat(999), fc.nat(999));
    const weight = (x: string | undefined): number => ({p1: 3, p2: 2, p3: 1} as Record<string, number>)[x ?? ''] ?? 0;
    fc.assert(fc.property(item, item, ([pa, ua, aa], [pb, ub, ab]) => {
      const lexical = Math.sign(weight(pa) - weight(pb) || ua - ub || aa - ab);
      expect(Math.sign(scoreOf(pa, ua, aa) - scoreOf(pb, ub, ab))).toBe(lexical);
    }));
  });
});
