import type {PluginRegistry} from '../../../core/index.js';
import {ROUTES} from './point.js';
import {routeTarget, type SomeRoute} from './route.js';

/** Routes that answer without a bearer token: this list, and nothing else. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['GET /v1/health']);

/**
 * What is wrong with a route contributed to the `routes` point (run when its plugin is vetted, so
 * a bad route fails its plugin): a name that is not `<GET|POST|DELETE> /path`, no schema or
 * handler, or a public route the allowlist does not name.
 */
export const routeProblem = (item: Record<string, unknown>): string | undefined => {
  const name = String(item.name);
  try {
    routeTarget(name);
  } catch (e) {
    return (e as Error).message;
  }
  if (typeof item.handle !== 'function') return 'has no handle function';
  if (typeof item.schema !== 'function') return 'has no schema (make it with defineRoute)';
  if (item.public === true && !PUBLIC_ROUTES.has(name)) return 'cannot be public (it is not on the allowlist)';
  return undefined;
};

/** Every route the loaded plugins contribute (clash-checked by name when they loaded), in load order. */
export const collectRoutes = (registry: PluginRegistry): Array<{plugin: string; route: SomeRoute}> =>
  ROUTES.entries(registry).map((e) => ({plugin: e.plugin, route: e.item}));
