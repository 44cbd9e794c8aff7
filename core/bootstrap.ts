import {hostname, userInfo} from 'node:os';
import type {Writable} from 'node:stream';
import {pluginApiFor} from './api.js';
import type {BuiltinPlugin} from './builtins.js';
import {EventCatalog} from './catalog.js';
import {randomIds, systemClock, type Clock, type IdSource} from './clock.js';
import {coreEvents} from './coreEvents.js';
import {createRootContainer, registrar, resolve, type Container} from './di.js';
import {EventBus} from './eventBus.js';
import {EventStore} from './eventStore.js';
import {Host} from './host.js';
import {sporPaths} from './paths.js';
import {loadBuiltins, loadUserPlugins, readUserPlugins} from './pluginLoader.js';
import {PluginRegistry} from './pluginRegistry.js';
import {Projector} from './projector.js';
import {MACHINE_SETTINGS, Settings} from './settings.js';
import * as T from './tokens.js';

export interface BootOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stderr: Writable;
  builtins: ReadonlyArray<BuiltinPlugin>;
  clock?: Clock;
  ids?: IdSource;
  /** Load the user's plugins from $SPOR_HOME/spor.plugins.json (default true). */
  userPlugins?: boolean;
}

export interface Booted {
  container: Container;
  registry: PluginRegistry;
}

/** Who this process acts as: a hook that calls spor acts as that hook, otherwise this machine. */
const actorOf = (env: NodeJS.ProcessEnv): string => {
  if (env.SPOR_HOOK_NAME) return `hook:${env.SPOR_HOOK_NAME}`;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return `machine:${user}@${hostname()}`;
};

/**
 * Wires the core services into a fresh container and loads plugins: built-ins first, in
 * spor.plugins.json order, then the user's. Load failures are recorded in the registry and
 * printed as one-line warnings; spor keeps working without the plugin.
 */
export const boot = async (opts: BootOptions): Promise<Booted> => {
  const container = createRootContainer();
  const registry = new PluginRegistry();
  const r = registrar(container, (t) => registry.registered(t, 'core'));
  const catalog = new EventCatalog();
  catalog.add('core', coreEvents);
  const bus = new EventBus(container, opts.stderr);
  const paths = sporPaths(opts.env);
  r.value(T.PATHS, paths);
  r.value(T.ENV, opts.env);
  r.value(T.CWD, opts.cwd);
  r.value(T.STDERR, opts.stderr);
  r.value(T.CLOCK, opts.clock ?? systemClock);
  r.value(T.ID_SOURCE, opts.ids ?? randomIds);
  // Only writers need it, and the user database lookup is not free: the store asks when it writes.
  let actor: string | undefined;
  r.value(T.ACTOR, () => (actor ??= actorOf(opts.env)));
  r.value(T.EVENT_CATALOG, catalog);
  r.value(T.EVENT_BUS, bus);
  r.value(T.PLUGIN_REGISTRY, registry);
  const api = pluginApiFor(registry);
  r.value(T.PLUGIN_API, api);
  r.value(MACHINE_SETTINGS, {values: async () => ({})});
  r.singleton(T.EVENT_STORE, EventStore);
  r.singleton(T.PROJECTOR, Projector);
  r.singleton(T.HOST, Host);
  r.singleton(T.SETTINGS, Settings);

  const ctx = {container, registry, catalog, bus, api};
  await loadBuiltins(opts.builtins, ctx);
  if (opts.userPlugins !== false) {
    const user = readUserPlugins(paths.userPlugins);
    if (user.error) opts.stderr.write(`spor: warning: ${user.error}\n`);
    await loadUserPlugins(user.entries, ctx);
  }
  for (const failed of registry.failures()) {
    opts.stderr.write(`spor: warning: plugin '${failed.name}' (from ${failed.location}) ${failed.error}\n`);
  }
  return {container, registry};
};

export {resolve};
