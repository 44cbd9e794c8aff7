import {describe, expect, it} from 'vitest';
import {stamped} from '../../../../plugins/server/domain/nodes.js';
import {iso} from '../../../../plugins/server/duration.js';
import type {TeamNode} from '../../../../plugins/server/store/records.js';

const now = new Date('2026-05-04T03:02:01.000Z');

describe('stamping a node', () => {
  it('takes authorship from the attribution, never the payload, and keeps the document in order', () => {
    const payload = {
      id: 'task-a',
      type: 'task',
      title: 'A',
      updated: 'then',
      author: 'person-forged',
      edges: [{type: 'blocks', to: 'task-b'}],
      session: 'forged-session',
      authored_by_agent: 'agent-forged',
      summary: 's',
    } as unknown as TeamNode;
    const out = stamped(payload, {author: 'person-ada', via: 'dispatch', agent: 'agent-x', session: 's-1'}, now);
    // The fields the payload already had stay where they were (a document's revision is the hash
    // of its JSON); the stamp's own fields come last.
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        id: 'task-a',
        type: 'task',
        title: 'A',
        updated: '2026-05-04T03:02:01.000Z',
        author: 'person-ada',
        edges: [{type: 'blocks', to: 'task-b'}],
        summary: 's',
        authored_via: 'dispatch',
        authored_by_agent: 'agent-x',
        session: 's-1',
      }),
    );
    // A person's own write carries no agent or session, even when the payload claimed them.
    expect(stamped(payload, {author: 'person-ada', via: 'rest'}, now)).not.toHaveProperty('session');
    expect(stamped(payload, {author: 'person-ada', via: 'rest'}, now)).not.toHaveProperty('authored_by_agent');
  });

  it('puts the given edges in place of the document’s own, leaving the document as it was', () => {
    const before = {id: 'task-a', type: 'task', title: 'A', created: 'c', updated: 'u', edges: []} as TeamNode;
    const out = stamped(before, {author: 'person-ada', via: 'rest'}, now, [{type: 'assigned', to: 'person-ada'}]);
    expect(out.edges).toEqual([{type: 'assigned', to: 'person-ada'}]);
    expect(before.edges).toEqual([]);
    expect(before.updated).toBe('u');
  });
});

it('iso formats an instant as toISOString does, given as a Date or as milliseconds', () => {
  for (const ms of [0, 1, 1_767_000_000_123, 1_767_000_000_123, 1_767_000_000_124, 0])
    expect([iso(ms), iso(new Date(ms))]).toEqual([new Date(ms).toISOString(), new Date(ms).toISOString()]);
});
