import {describe, expect, it} from 'vitest';
import {graphProjection, metaOf, rowOf, textSeqsOf, type NodeRow} from '../../../../plugins/graph/projection.js';
import {stored} from '../../../helpers/spec.js';
import {graphOf} from './fixture.js';

const node = (id: string, more: Record<string, unknown> = {}) => ({type: 'node-added', data: {node: {id, type: 'task', title: id, created: '2026-01-01', ...more}}});
const edge = (from: string, type: string, to: string, attrs?: Record<string, string>) => ({type: 'edge-added', data: {edge: {from, type, to, ...(attrs ? {attrs} : {})}}});

describe('graph projection', () => {
  it('keeps node text out of the slice and remembers which events carry it', () => {
    const {slice} = graphOf([
      node('task-a', {summary: 'short', body: 'long', extra: {owner: 'x'}, priority: 'p1'}),
      node('task-b'),
      {type: 'node-updated', data: {id: 'task-a', set: {status: 'done'}}},
      {type: 'node-updated', data: {id: 'task-a', set: {summary: 'shorter'}, unset: ['priority']}},
    ]);
    expect(slice.nodes.map((r) => r[0])).toEqual(['task-a', 'task-b']);
    expect(metaOf(slice.nodes[0] as NodeRow)).toEqual({id: 'task-a', type: 'task', title: 'task-a', created: '2026-01-01', status: 'done'});
    expect(textSeqsOf(slice.nodes[0] as NodeRow)).toEqual([1, 4]);
    expect(textSeqsOf(slice.nodes[1] as NodeRow)).toEqual([]);
  });

  it('stores edges once per from/type/to, with their attributes, and removes them', () => {
    const {slice} = graphOf([
      node('task-a'), node('agent-b', {type: 'agent'}),
      edge('task-a', 'assigned', 'agent-b', {profile: 'profile-x'}),
      edge('task-a', 'assigned', 'agent-b', {profile: 'profile-y'}),
      edge('task-a', 'relates-to', 'agent-b'),
      {type: 'edge-removed', data: {from: 'task-a', type: 'relates-to', to: 'agent-b'}},
    ]);
    expect(slice.edges).toEqual({assigned: ['task-a agent-b']});
    expect(slice.attrs).toEqual({'task-a assigned agent-b': {profile: 'profile-y'}});
  });

  it('ignores updates to nodes it never saw, and ids that shadow Object.prototype are plain ids', () => {
    const {slice, view} = graphOf([
      {type: 'node-updated', data: {id: 'ghost', set: {status: 'done'}}},
      node('constructor'),
      edge('constructor', 'blocks', 'task-x'),
    ]);
    expect(slice.nodes.map((r) => r[0])).toEqual(['constructor']);
    expect(view.outbound('constructor')).toEqual([{from: 'constructor', type: 'blocks', to: 'task-x'}]);
    expect(view.meta('toString')).toBeUndefined();
  });

  it('a node added again under its id replaces it in place', () => {
    const {slice, view} = graphOf([node('task-a', {priority: 'p1'}), node('task-b'), node('task-a', {title: 'again'})]);
    expect(slice.nodes.map((r) => r[0])).toEqual(['task-a', 'task-b']);
    expect(view.meta('task-a')).toEqual({id: 'task-a', type: 'task', title: 'again', created: '2026-01-01'});
  });

  it('rows round-trip every field a node can have, and drop empty trailing positions', () => {
    const full = {id: 'profile-x', type: 'profile', title: 'X', created: '2026-01-01', status: 'active', priority: 'p1' as const, repo: 'web', wake: '2027-01-01',
      requires: ['human'], readiness: 'agent' as const, tags: ['a'], applies_to_tags: ['b'], email: 'e@x', identity: 'spiffe://x', pubkey: 'fp',
      harness: 'codex', model: 'm', mcp: ['gh'], skills: ['s'], plugins: ['p']};
    expect(metaOf(rowOf(full, [3]))).toEqual(full);
    expect(rowOf({id: 'task-a', type: 'task', title: 'A', created: '2026-01-01'}, undefined)).toEqual(['task-a', 'task', 'A', '2026-01-01']);
    expect(rowOf({id: 'task-a', type: 'task', title: 'A', created: '2026-01-01', repo: 'web'}, [9])).toEqual(['task-a', 'task', 'A', '2026-01-01', '', '', 'web', '', 0, [9]]);
  });

  it('leaves the slice untouched for event types it does not know', () => {
    const state = graphProjection.initial();
    expect(graphProjection.apply(state, stored([{type: 'config-set', data: {key: 'a', value: 1}}])[0]!)).toEqual(graphProjection.initial());
  });

  it('a repo-added brings the repo-<slug> node once; an existing node is left as it is', () => {
    const [first, again] = stored([{type: 'repo-added', data: {slug: 'web', path: '/a'}}, {type: 'repo-added', data: {slug: 'web', path: '/b'}}]);
    const s = graphProjection.apply(graphProjection.initial(), first!);
    expect(s.nodes).toEqual([['repo-web', 'repo', 'web', first!.at]]);
    expect(graphProjection.apply(s, again!).nodes).toHaveLength(1);
  });
});
