import {describe, expect, it} from 'vitest';
import {addRepo, removeRepo} from '../../../../plugins/repos/decide.js';
import {reposProjection} from '../../../../plugins/repos/projection.js';
import {given, stored} from '../../../helpers/spec.js';

const added = (slug: string, path: string) => ({type: 'repo-added' as const, data: {slug, path}});

describe('repos decisions', () => {
  it('maps a new slug', () => {
    given(reposProjection, [])
      .when((s) => addRepo({slug: 'svc', path: '/a'}, s))
      .then([added('svc', '/a')]);
  });
  it('re-points an existing slug', () => {
    given(reposProjection, [added('svc', '/a')])
      .when((s) => addRepo({slug: 'svc', path: '/b'}, s))
      .then([added('svc', '/b')]);
  });
  it('writes nothing for the mapping it already has', () => {
    given(reposProjection, [added('svc', '/a')])
      .when((s) => addRepo({slug: 'svc', path: '/a'}, s))
      .then([]);
  });
  it.each(['Svc', '-svc', 'svc_1', 'svc/x', ''])('refuses the slug %j', (slug) => {
    given(reposProjection, [])
      .when((s) => addRepo({slug, path: '/a'}, s))
      .thenThrows(/invalid repo slug/);
  });
  it('removes only what is mapped', () => {
    given(reposProjection, [added('svc', '/a')])
      .when((s) => removeRepo({slug: 'svc'}, s))
      .then([{type: 'repo-removed', data: {slug: 'svc'}}]);
    given(reposProjection, [])
      .when((s) => removeRepo({slug: 'svc'}, s))
      .then([]);
  });
});

describe('repos projection', () => {
  it('folds adds, re-points and removals', () => {
    const events = stored([
      added('a', '/1'),
      added('b', '/2'),
      added('a', '/3'),
      {type: 'repo-removed', data: {slug: 'b'}},
    ]);
    expect(events.reduce((s, e) => reposProjection.apply(s, e), reposProjection.initial())).toEqual({
      bySlug: {a: '/3'},
    });
  });
  it('leaves state untouched for event types it does not know', () => {
    const state = {bySlug: {a: '/1'}};
    expect(reposProjection.apply(state, stored([{type: 'something-else', data: {}}])[0]!)).toBe(state);
  });
});
