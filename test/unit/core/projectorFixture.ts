import {join} from 'node:path';
import {boot} from '../../../core/bootstrap.js';
import {builtinPlugins} from '../../../core/builtins.js';
import {resolve} from '../../../core/di.js';
import type {EventDraft} from '../../../core/events.js';
import {EVENT_STORE, PATHS, PROJECTOR} from '../../../core/tokens.js';
import {Capture} from '../../helpers/inProcess.js';

// Only the plugins whose slices these tests fold, so they do not depend on the rest being ready.
const SLICE_PLUGINS = new Set(['./plugins/repos', './plugins/settings']);

/** A booted spor (as one process would be) on `home`, with its projector and store. */
export const bootAt = async (home: string) => {
  const stderr = new Capture();
  const env = {HOME: home, SPOR_HOME: join(home, '.spor'), PATH: process.env.PATH ?? '', TZ: 'UTC'};
  const builtins = builtinPlugins().filter((b) => SLICE_PLUGINS.has(b.location));
  const {container} = await boot({env, cwd: home, stderr, builtins, userPlugins: false});
  return {
    projector: resolve(container, PROJECTOR),
    store: resolve(container, EVENT_STORE),
    paths: resolve(container, PATHS),
    stderr,
  };
};

export type ConfigValue = string | number | boolean;

/** What the repos and settings slices must hold: an independent model of their fold. */
export interface Model {
  repos: {bySlug: Record<string, string>};
  settings: {values: Record<string, ConfigValue>};
}

export const emptyModel = (): Model => ({repos: {bySlug: {}}, settings: {values: {}}});

export const applyToModel = (m: Model, d: EventDraft): void => {
  const data = d.data as {slug: string; path: string; key: string; value: ConfigValue};
  switch (d.type) {
    case 'repo-added':
      m.repos.bySlug[data.slug] = data.path;
      break;
    case 'repo-removed':
      delete m.repos.bySlug[data.slug];
      break;
    case 'config-set':
      m.settings.values[data.key] = data.value;
      break;
    case 'config-unset':
      delete m.settings.values[data.key];
      break;
    default:
      throw new Error(`the model does not know ${d.type}`);
  }
};

export const repoAdded = (slug: string, path: string): EventDraft => ({type: 'repo-added', data: {slug, path}});
export const repoRemoved = (slug: string): EventDraft => ({type: 'repo-removed', data: {slug}});
export const configSet = (key: string, value: ConfigValue): EventDraft => ({type: 'config-set', data: {key, value}});
export const configUnset = (key: string): EventDraft => ({type: 'config-unset', data: {key}});
