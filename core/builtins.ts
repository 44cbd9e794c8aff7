import list from '../spor.plugins.json' with {type: 'json'};
import type {PluginManifest} from './manifest.js';

/**
 * A built-in plugin as listed in spor.plugins.json, with how to import it. The CLI bundle also
 * gives each its manifest and a synchronous loader, and then evaluates it only when used
 * (core/lazyPlugin.ts); elsewhere (tests, dist/core.js) built-ins load eagerly.
 */
export interface BuiltinPlugin {
  location: string;
  load: () => Promise<unknown>;
  manifest?: PluginManifest;
  loadSync?: () => unknown;
}

// esbuild bundles every plugins/*/index.ts this template can match; the JSON list decides which
// load, and in what order.
export const builtinPlugins = (): Array<BuiltinPlugin> =>
  list.plugins.map((location) => {
    const dir = location.replace(/^\.\/plugins\//, '');
    return {location, load: () => import(`../plugins/${dir}/index.ts`) as Promise<unknown>};
  });
