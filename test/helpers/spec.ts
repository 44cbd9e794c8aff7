import {expect} from 'vitest';
import type {EventDraft, SporEvent} from '../../core/events.js';
import type {Projection} from '../../core/plugin.js';

/** Builds stored events from drafts (seq, ids and times are placeholders). */
export const stored = (drafts: ReadonlyArray<EventDraft>): Array<SporEvent> =>
  drafts.map((d, i) => ({
    id: `e${i + 1}`,
    seq: i + 1,
    v: 1,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'machine:test',
    type: d.type,
    data: d.data,
  }));

/**
 * Decider tests in emmett's shape: given past events (folded through the projection), when a
 * decision runs, then it returns these drafts or throws.
 */
export const given = <S>(projection: Projection<S>, past: ReadonlyArray<EventDraft>) => {
  const state = stored(past).reduce((s, e) => projection.apply(s, e), projection.initial());
  return {
    state,
    when: (decide: (s: S) => ReadonlyArray<EventDraft>) => ({
      then: (expected: ReadonlyArray<EventDraft>) => expect(decide(state)).toEqual(expected),
      thenThrows: (pattern: RegExp) => expect(() => decide(state)).toThrow(pattern),
    }),
  };
};
