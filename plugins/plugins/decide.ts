import {RefusalError, type EventDraft} from '../../core/index.js';
import type {PluginAdded, PluginRecord, PluginRemoved} from './events.js';
import type {PluginsState} from './projection.js';

/** Refuses a name this machine already added (a new version goes in after `rm`). */
export const checkNotAdded = (name: string, s: PluginsState): void => {
  const existing = s.added.find((p) => p.name === name);
  if (existing) {
    throw new RefusalError(`plugin '${name}' is already added (${existing.spec})`, {
      code: 'E_PLUGIN_ADDED',
      hint: `run \`spor plugins rm ${name}\` first`,
    });
  }
};

/** Records a user plugin that was loaded and vetted; its name must be new. */
export const addPlugin = (record: PluginRecord, s: PluginsState): Array<EventDraft<PluginAdded>> => {
  checkNotAdded(record.name, s);
  const {checksum, ...rest} = record;
  return [{type: 'plugin-added', data: checksum === undefined ? rest : record}];
};

/** What else is known about a name besides the slice. */
export interface RemoveContext {
  /** A built-in of this spor carries the name. */
  builtin: boolean;
  /** `$SPOR_HOME/spor.plugins.json` lists the name (a hand edit the log never saw). */
  listed: boolean;
}

/**
 * Forgets a user plugin. A name only the file lists is removed too (the rewrite then drops it);
 * a built-in is refused; an unknown name writes nothing.
 */
export const removePlugin = (
  input: {name: string},
  s: PluginsState,
  known: RemoveContext,
): Array<EventDraft<PluginRemoved>> => {
  if (s.added.some((p) => p.name === input.name) || known.listed)
    return [{type: 'plugin-removed', data: {name: input.name}}];
  if (known.builtin) {
    throw new RefusalError(`'${input.name}' is a built-in plugin and cannot be removed`, {
      code: 'E_PLUGIN_BUILTIN',
      hint: 'built-ins ship with spor; `spor plugins list` shows which plugins are user plugins (source path or npm)',
    });
  }
  return [];
};
