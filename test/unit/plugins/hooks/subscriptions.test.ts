import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../../core/events.js';
import type {HookEntry, HooksState} from '../../../../plugins/hooks/projection.js';
import {hooksFor} from '../../../../plugins/hooks/subscriptions.js';

const hook = (id: string, event: string): HookEntry => ({id, event, path: `/bin/${id}`, args: [], timeout_ms: null});
const state: HooksState = {
  next: 5,
  hooks: [hook('h1', '*'), hook('h2', 'repo-added'), hook('h3', 'hook-ran'), hook('h4', 'repo-added')],
};
const ev = (type: string, data: unknown = {}): SporEvent => ({
  id: 'e1',
  seq: 1,
  type,
  v: 1,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'machine:t',
  data,
});
const ran = (hookId: string, eventType: string): SporEvent =>
  ev('hook-ran', {hook: hookId, event_id: 'e0', event_type: eventType});
const ids = (hs: Array<HookEntry>) => hs.map((h) => h.id);

describe('hooksFor', () => {
  it('runs the hooks for the type and the * hooks, in the order they were added', () => {
    expect(ids(hooksFor(state, ev('repo-added')))).toEqual(['h1', 'h2', 'h4']);
    expect(ids(hooksFor(state, ev('config-set')))).toEqual(['h1']);
  });

  it('never runs a * hook on hook-ran, or a hook-ran hook on the record of its own run', () => {
    expect(ids(hooksFor(state, ran('h2', 'repo-added')))).toEqual(['h3']);
    expect(ids(hooksFor(state, ran('h3', 'repo-added')))).toEqual([]);
  });

  it('stops after one step: a hook-ran about a hook-ran runs nothing', () => {
    const two: HooksState = {next: 3, hooks: [hook('h1', 'hook-ran'), hook('h2', 'hook-ran')]};
    expect(ids(hooksFor(two, ran('h1', 'hook-ran')))).toEqual([]);
    expect(ids(hooksFor(two, ran('h9', 'repo-added')))).toEqual(['h1', 'h2']);
  });

  it('runs nothing when no hook is registered', () => {
    expect(hooksFor({next: 1, hooks: []}, ev('repo-added'))).toEqual([]);
  });
});
