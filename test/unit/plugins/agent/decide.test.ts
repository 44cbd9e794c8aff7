import {describe, expect, it} from 'vitest';
import type {EventDraft} from '../../../../core/events.js';
import {createAgent, identityOf, resolveAgent, useAgent} from '../../../../plugins/agent/decide.js';
import {graphOf} from '../graph/fixture.js';

const at = '2026-07-01T00:00:00.000Z';
const person = (id: string): EventDraft => ({
  type: 'node-added',
  data: {node: {id, type: 'person', title: id, created: at}},
});

describe('agent decisions', () => {
  it('the identity names the owner and the label without their type prefixes', () => {
    expect(identityOf('person-ada', 'agent-ci-bot')).toBe('spiffe://spor.local/person/ada/agent/ci-bot');
  });

  it("a label shared by agents of several owners resolves to the caller's one, else lists the candidates", () => {
    const people = [person('person-ada'), person('person-bob')];
    // A second `rev` under another id (as an import may bring), owned by bob.
    const two = graphOf([
      ...people,
      ...createAgent({label: 'rev', owner: 'person-ada', created: at}, graphOf(people).slice),
      {type: 'node-added', data: {node: {id: 'agent-rev-2', type: 'agent', title: 'rev', created: at}}},
      {type: 'edge-added', data: {edge: {from: 'agent-rev-2', type: 'owned-by', to: 'person-bob'}}},
    ]).slice;
    expect(resolveAgent('rev', two, 'person-bob').id).toBe('agent-rev-2');
    expect(resolveAgent('rev', two, 'person-ada').id).toBe('agent-rev');
    expect(() => resolveAgent('rev', two)).toThrow(/ambiguous/);
    expect(resolveAgent('agent-rev-2', two).owner).toBe('person-bob');
  });

  it('use writes agent-used only when the choice changes', () => {
    expect(useAgent('agent-a', undefined)).toEqual([{type: 'agent-used', data: {agent: 'agent-a'}}]);
    expect(useAgent('agent-a', 'agent-a')).toEqual([]);
    expect(useAgent(null, undefined)).toEqual([]);
    expect(useAgent(null, 'agent-a')).toEqual([{type: 'agent-used', data: {agent: null}}]);
  });
});
