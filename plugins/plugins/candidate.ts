import {
  type SporPluginApi,
  type EventCatalog,
  RefusalError,
  type SporPlugin,
  importUserPlugin,
  vetPlugin,
  type PluginRegistry,
} from '../../core/index.js';
import {checkNotAdded} from './decide.js';
import type {PluginsState} from './projection.js';

export interface CandidateContext {
  api: SporPluginApi;
  /** What this process loaded at start-up: the plugin must not clash with any of it. */
  registry: PluginRegistry;
  catalog: EventCatalog;
  added: PluginsState;
}

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';

const FACTORY = 'export default (spor) => spor.definePlugin({name, version, ...})';

/**
 * Loads a plugin module the way start-up will (import, factory call with the host API), then runs
 * the loader's shape and clash checks. Refuses, naming why, instead of recording a plugin that
 * would be skipped at every start-up. Installs nothing into this process.
 */
export const loadCandidate = async (
  entry: {path: string; checksum?: string},
  ctx: CandidateContext,
): Promise<SporPlugin> => {
  let definition: unknown;
  try {
    definition = await importUserPlugin(entry, ctx.api);
  } catch (e) {
    throw new RefusalError(`the plugin at ${entry.path} failed to load: ${firstLine(e)}`, {
      code: 'E_PLUGIN_LOAD',
      hint: `fix the plugin and add it again (a plugin module is: ${FACTORY})`,
    });
  }
  const verdict = vetPlugin(definition, ctx.registry, ctx.catalog);
  if (verdict.ok) {
    checkNotAdded(verdict.plugin.name, ctx.added);
    return verdict.plugin;
  }
  if (verdict.problem === 'shape') {
    throw new RefusalError(`the plugin at ${entry.path} exports the wrong shape: ${verdict.reason}`, {
      code: 'E_PLUGIN_SHAPE',
      hint: `the factory must return a definition: ${FACTORY}`,
    });
  }
  // Adding a name twice clashes with itself; say how to replace it rather than that it clashes.
  checkNotAdded(verdict.plugin.name, ctx.added);
  throw new RefusalError(`plugin '${verdict.plugin.name}' clashes with a loaded plugin: ${verdict.reason}`, {
    code: 'E_PLUGIN_CLASH',
    hint: 'rename the clashing command, event type, slice or setting in the plugin',
  });
};
