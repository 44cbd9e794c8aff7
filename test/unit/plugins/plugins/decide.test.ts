import {describe, expect, it} from 'vitest';
import {addPlugin, removePlugin} from '../../../../plugins/plugins/decide.js';
import type {PluginRecord} from '../../../../plugins/plugins/events.js';
import {pluginsProjection} from '../../../../plugins/plugins/projection.js';
import {given, stored} from '../../../helpers/spec.js';

const hello: PluginRecord = {name: 'hello', spec: 'file:/p/hello', path: '/p/hello/index.js', version: '1.0.0'};
const jira: PluginRecord = {
  name: 'jira',
  spec: 'npm:spor-plugin-jira@1.4.2',
  path: '/h/plugins/node_modules/spor-plugin-jira/index.js',
  version: '1.4.2',
  checksum: 'sha256-ab',
};
const added = (p: PluginRecord) => ({type: 'plugin-added', data: p});
const removed = (name: string) => ({type: 'plugin-removed', data: {name}});
const nothingElse = {builtin: false, listed: false};

describe('plugins decisions', () => {
  it('records a new plugin, with its checksum only when it has one', () => {
    given(pluginsProjection, [])
      .when((s) => addPlugin(hello, s))
      .then([added(hello)]);
    given(pluginsProjection, [added(hello)])
      .when((s) => addPlugin(jira, s))
      .then([added(jira)]);
    expect(addPlugin({...hello, checksum: undefined}, pluginsProjection.initial())[0]?.data).not.toHaveProperty(
      'checksum',
    );
  });

  it('refuses a name already added, pointing at rm', () => {
    given(pluginsProjection, [added(hello)])
      .when((s) => addPlugin({...hello, path: '/elsewhere.js'}, s))
      .thenThrows(/plugin 'hello' is already added/);
    expect(() => addPlugin(hello, given(pluginsProjection, [added(hello)]).state)).toThrow(
      expect.objectContaining({hint: 'run `spor plugins rm hello` first', exitCode: 1}),
    );
  });

  it('allows a name again after it was removed', () => {
    given(pluginsProjection, [added(hello), removed('hello')])
      .when((s) => addPlugin(hello, s))
      .then([added(hello)]);
  });

  it('removes an added plugin, and a name only the file lists', () => {
    given(pluginsProjection, [added(hello)])
      .when((s) => removePlugin({name: 'hello'}, s, nothingElse))
      .then([removed('hello')]);
    given(pluginsProjection, [])
      .when((s) => removePlugin({name: 'hand-made'}, s, {builtin: false, listed: true}))
      .then([removed('hand-made')]);
  });

  it('writes nothing for an unknown name, and refuses a built-in', () => {
    given(pluginsProjection, [added(hello)])
      .when((s) => removePlugin({name: 'ghost'}, s, nothingElse))
      .then([]);
    given(pluginsProjection, [])
      .when((s) => removePlugin({name: 'repos'}, s, {builtin: true, listed: false}))
      .thenThrows(/'repos' is a built-in plugin and cannot be removed/);
  });
});

describe('plugins projection', () => {
  const fold = (drafts: Array<{type: string; data: unknown}>) =>
    stored(drafts).reduce((s, e) => pluginsProjection.apply(s, e), pluginsProjection.initial());

  it('keeps user plugins in the order added and drops removed ones', () => {
    const third = {...hello, name: 'third', path: '/p/third.js'};
    expect(fold([added(hello), added(jira), added(third), removed('jira')]).added).toEqual([hello, third]);
  });

  it('a repeated name replaces the record where it stands', () => {
    const newer = {...hello, version: '2.0.0'};
    expect(fold([added(hello), added(jira), added(newer)]).added).toEqual([newer, jira]);
  });

  it('ignores removal of an unknown name and events of other types', () => {
    const state = fold([added(hello)]);
    const after = stored([removed('ghost'), {type: 'repo-added', data: {slug: 'x', path: '/x'}}]).reduce(
      (s, e) => pluginsProjection.apply(s, e),
      state,
    );
    expect(after).toEqual(state);
    expect(pluginsProjection.apply(state, stored([{type: 'repo-added', data: {}}])[0]!)).toBe(state);
  });
});
