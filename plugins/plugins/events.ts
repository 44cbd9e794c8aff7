import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

/** A user plugin as recorded when it was added: the entry `$SPOR_HOME/spor.plugins.json` lists. */
export interface PluginRecord {
  /** The plugin definition's own name (what `spor plugins rm` takes). */
  name: string;
  /** What the user added: `file:/abs/path` or `npm:<spec>` (a tarball spec is stored absolute). */
  spec: string;
  /** The absolute path of the module spor imports. */
  path: string;
  version: string;
  /** `sha256-<hex>` of the module file, for npm plugins: checked before every import. */
  checksum?: string;
}

export type PluginAdded = SporEvent<'plugin-added', 1, PluginRecord>;
export type PluginRemoved = SporEvent<'plugin-removed', 1, {name: string}>;
export type PluginEvent = PluginAdded | PluginRemoved;

declare module '../../core/events.js' {
  interface SporEventMap {
    'plugin-added': PluginAdded;
    'plugin-removed': PluginRemoved;
  }
}

export const pluginEvents = defineEvents<PluginEvent>({
  'plugin-added': {
    v: 1,
    data: t.isObject({
      name: t.isString(),
      spec: t.isString(),
      path: t.isString(),
      version: t.isString(),
      checksum: t.isOptional(t.isString()),
    }),
    hookEnv: (d) => ({SPOR_PLUGIN_NAME: d.name, SPOR_PLUGIN_PATH: d.path}),
    summary: (d) => `${d.name} ${d.version} from ${d.spec}`,
  },
  'plugin-removed': {
    v: 1,
    data: t.isObject({name: t.isString()}),
    hookEnv: (d) => ({SPOR_PLUGIN_NAME: d.name}),
    summary: (d) => d.name,
  },
});
