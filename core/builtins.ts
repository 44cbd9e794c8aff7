import list from '../spor.plugins.json' with {type: 'json'};

/** A built-in plugin as listed in spor.plugins.json, with how to import it. */
export interface BuiltinPlugin { location: string; load: () => Promise<unknown> }

// esbuild bundles every plugins/*/index.ts this template can match; the JSON list decides which
// load, and in what order.
export const builtinPlugins = (): Array<BuiltinPlugin> =>
  list.plugins.map((location) => {
    const dir = location.replace(/^\.\/plugins\//, '');
    return {location, load: () => import(`../plugins/${dir}/index.ts`) as Promise<unknown>};
  });
