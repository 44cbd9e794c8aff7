import {describe, expect, it} from 'vitest';
import type {EventDraft} from '../../../../core/events.js';
import {addHook, checkEventType, removeHook} from '../../../../plugins/hooks/decide.js';
import {hooksProjection, type HookEntry} from '../../../../plugins/hooks/projection.js';
import {given, stored} from '../../../helpers/spec.js';

const hook = (id: string, over: Partial<HookEntry> = {}): HookEntry => ({
  id,
  event: 'repo-added',
  path: '/bin/notify',
  args: [],
  timeout_ms: null,
  ...over,
});
const added = (h: HookEntry): EventDraft => ({type: 'hook-added', data: h});
const removed = (id: string): EventDraft => ({type: 'hook-removed', data: {id}});
const input = (over: Partial<HookEntry> = {}) => {
  const {id: _id, ...rest} = hook('x', over);
  return rest;
};

describe('hooks decisions', () => {
  it('gives the first hook id h1 and the next one h2', () => {
    given(hooksProjection, [])
      .when((s) => addHook(input(), s))
      .then([added(hook('h1'))]);
    given(hooksProjection, [added(hook('h1'))])
      .when((s) => addHook(input({event: '*'}), s))
      .then([added(hook('h2', {event: '*'}))]);
  });

  it('never reuses the id of a removed hook', () => {
    given(hooksProjection, [added(hook('h1')), added(hook('h2', {event: '*'})), removed('h2')])
      .when((s) => addHook(input({event: '*'}), s))
      .then([added(hook('h3', {event: '*'}))]);
  });

  it('writes nothing for a subscription that already exists', () => {
    given(hooksProjection, [added(hook('h1', {args: ['a', 'b']}))])
      .when((s) => addHook(input({args: ['a', 'b']}), s))
      .then([]);
  });

  it('treats other arguments or another event type as another hook', () => {
    given(hooksProjection, [added(hook('h1', {args: ['a']}))])
      .when((s) => addHook(input({args: ['b']}), s))
      .then([added(hook('h2', {args: ['b']}))]);
    given(hooksProjection, [added(hook('h1'))])
      .when((s) => addHook(input({event: 'repo-removed'}), s))
      .then([added(hook('h2', {event: 'repo-removed'}))]);
  });

  it('refuses the same subscription with another timeout, naming the hook to remove', () => {
    given(hooksProjection, [added(hook('h1'))])
      .when((s) => addHook(input({timeout_ms: 5000}), s))
      .thenThrows(/hook h1 already runs \/bin\/notify on repo-added/);
  });

  it('removes only a hook that exists', () => {
    given(hooksProjection, [added(hook('h1'))])
      .when((s) => removeHook({id: 'h1'}, s))
      .then([removed('h1')]);
    given(hooksProjection, [added(hook('h1')), removed('h1')])
      .when((s) => removeHook({id: 'h1'}, s))
      .then([]);
    given(hooksProjection, [])
      .when((s) => removeHook({id: 'h9'}, s))
      .then([]);
  });

  it('accepts * or a known event type, and lists the known types otherwise', () => {
    expect(() => checkEventType('*', ['repo-added'])).not.toThrow();
    expect(() => checkEventType('repo-added', ['repo-added'])).not.toThrow();
    expect(() => checkEventType('repo-addded', ['repo-added', 'repo-removed'])).toThrow(
      expect.objectContaining({
        message: `unknown event type 'repo-addded'`,
        exitCode: 2,
        hint: `use '*' or one of: repo-added, repo-removed`,
      }),
    );
  });
});

describe('hooks projection', () => {
  it('keeps hooks in the order added and drops removed ones', () => {
    const events = stored([
      added(hook('h1')),
      added(hook('h2', {event: '*'})),
      added(hook('h3', {path: '/bin/other'})),
      removed('h2'),
    ]);
    expect(events.reduce((s, e) => hooksProjection.apply(s, e), hooksProjection.initial())).toEqual({
      next: 4,
      hooks: [hook('h1'), hook('h3', {path: '/bin/other'})],
    });
  });

  it('leaves the state unchanged for other events, hook-ran included', () => {
    const state = stored([added(hook('h1'))]).reduce((s, e) => hooksProjection.apply(s, e), hooksProjection.initial());
    for (const other of stored([
      {type: 'repo-added', data: {slug: 'x', path: '/x'}},
      {type: 'hook-ran', data: {hook: 'h1'}},
    ])) {
      expect(hooksProjection.apply(state, other)).toBe(state);
    }
  });
});
