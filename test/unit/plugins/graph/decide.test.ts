import {describe, expect, it} from 'vitest';
import {
  addEdge,
  addNode,
  removeEdge,
  setPriority,
  setReady,
  updateNode,
} from '../../../../plugins/graph/model/decide.js';
import {checkId, deriveId, titleFrom} from '../../../../plugins/graph/model/ids.js';
import {graphProjection} from '../../../../plugins/graph/store/projection.js';
import {given} from '../../../helpers/spec.js';

const node = (id: string, type = 'task') => ({
  type: 'node-added',
  data: {node: {id, type, title: id, created: '2026-01-01'}},
});
const past = [
  node('task-a'),
  node('task-b'),
  node('person-ada', 'person'),
  node('agent-ci', 'agent'),
  node('profile-fast', 'profile'),
  {type: 'edge-added', data: {edge: {from: 'task-a', type: 'blocks', to: 'task-b'}}},
];
const g = () => given(graphProjection, past);

describe('graph decisions', () => {
  it('adds a node under a free id and refuses a taken one', () => {
    const fresh = {id: 'task-c', type: 'task', title: 'C', created: '2026-02-01'};
    g()
      .when((s) => addNode(fresh, s))
      .then([{type: 'node-added', data: {node: fresh}}]);
    g()
      .when((s) => addNode({...fresh, id: 'task-a'}, s))
      .thenThrows(/node 'task-a' already exists/);
  });

  it('updates only what changes', () => {
    g()
      .when((s) => updateNode('task-a', s, {status: 'done'}))
      .then([{type: 'node-updated', data: {id: 'task-a', set: {status: 'done'}}}]);
    const done = given(graphProjection, [
      ...past,
      {type: 'node-updated', data: {id: 'task-a', set: {status: 'done', priority: 'p1'}}},
    ]);
    done.when((s) => updateNode('task-a', s, {status: 'done'})).then([]);
    done
      .when((s) => setPriority('task-a', 'clear', s))
      .then([{type: 'node-updated', data: {id: 'task-a', set: {}, unset: ['priority']}}]);
    g()
      .when((s) => setPriority('task-a', 'clear', s))
      .then([]);
    g()
      .when((s) => setReady('task-a', false, s))
      .then([{type: 'node-updated', data: {id: 'task-a', set: {readiness: 'agent'}}}]);
  });

  it('refuses a missing node, naming the closest id', () => {
    g()
      .when((s) => updateNode('task-z', s, {status: 'done'}))
      .thenThrows(/no node 'task-z'/);
  });

  it('adds an edge between existing nodes; the same edge again writes nothing; new attributes re-add it', () => {
    g()
      .when((s) => addEdge({from: 'task-b', type: 'relates-to', to: 'task-a'}, s))
      .then([{type: 'edge-added', data: {edge: {from: 'task-b', type: 'relates-to', to: 'task-a'}}}]);
    g()
      .when((s) => addEdge({from: 'task-a', type: 'blocks', to: 'task-b'}, s))
      .then([]);
    g()
      .when((s) => addEdge({from: 'task-a', type: 'assigned', to: 'agent-ci', attrs: {profile: 'profile-fast'}}, s))
      .then([
        {
          type: 'edge-added',
          data: {edge: {from: 'task-a', type: 'assigned', to: 'agent-ci', attrs: {profile: 'profile-fast'}}},
        },
      ]);
  });

  it.each([
    [{from: 'task-a', type: 'blocks', to: 'task-missing'}, /no node 'task-missing'/],
    [{from: 'task-missing', type: 'blocks', to: 'task-a'}, /no node 'task-missing'/],
    [{from: 'task-a', type: 'blocks', to: 'task-a'}, /two different nodes/],
    [
      {from: 'task-a', type: 'assigned', to: 'task-b'},
      /'assigned' must point at a person or agent, and 'task-b' is a task/,
    ],
    [{from: 'agent-ci', type: 'owned-by', to: 'agent-ci'}, /two different nodes/],
    [{from: 'task-a', type: 'uses-profile', to: 'person-ada'}, /must point at a profile/],
    [{from: 'task-a', type: 'assigned', to: 'agent-ci', attrs: {profile: 'profile-none'}}, /no profile 'profile-none'/],
  ])('refuses %j', (edge, error) => {
    g()
      .when((s) => addEdge(edge, s))
      .thenThrows(error);
  });

  it('removes an edge that is there, and writes nothing for one that is not', () => {
    g()
      .when((s) => removeEdge({from: 'task-a', type: 'blocks', to: 'task-b'}, s))
      .then([{type: 'edge-removed', data: {from: 'task-a', type: 'blocks', to: 'task-b'}}]);
    g()
      .when((s) => removeEdge({from: 'task-a', type: 'relates-to', to: 'task-b'}, s))
      .then([]);
  });
});

describe('ids and titles', () => {
  it('derives kebab ids from titles, and refuses what cannot be one', () => {
    expect(deriveId('task', 'Retry failed e-mails!')).toBe('task-retry-failed-e-mails');
    expect(deriveId('person', 'Zoë Ångström')).toBe('person-zoe-angstrom');
    expect(() => deriveId('task', '!!!')).toThrow(/cannot make an id/);
  });
  it.each(['../x', 'a/b', 'a\\b', '.hidden', '~root'])('refuses %j as containing path characters', (id) => {
    expect(() => checkId(id)).toThrow(/contains path characters/);
  });
  it.each(['Task-A', 'task_a', '-task', 'task a', ''])('refuses %j as not kebab-case', (id) => {
    expect(() => checkId(id)).toThrow(/not kebab-case/);
  });
  it('titles come from the first non-empty line, shortened at a word', () => {
    expect(titleFrom('\n  Fix the login loop  \nmore detail')).toBe('Fix the login loop');
    const long = titleFrom('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('word…')).toBe(true);
  });
});
