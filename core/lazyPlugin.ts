import type {CommandClass} from 'clipanion';
import type {SporContext} from './context.js';
import {registrar, type Registrar} from './di.js';
import type {PluginManifest} from './manifest.js';
import type {LoadedPlugin, PointDefinition, Projection, Reaction, SporPlugin} from './plugin.js';
import type {LoadContext} from './pluginLoader.js';

/** A built-in the CLI bundle can evaluate on demand: its manifest, and a synchronous require. */
export interface LazyBuiltin {
  location: string;
  manifest: PluginManifest;
  /** Evaluates the plugin's module (once; later calls return the same module). */
  loadSync(): unknown;
}

const same = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Where the module no longer says what its manifest says (a stale build); undefined when it does. */
const driftOf = (p: SporPlugin | undefined, m: PluginManifest): string | undefined => {
  if (!p || p.name !== m.name) return `it is not the plugin '${m.name}'`;
  const names = (xs: ReadonlyArray<{name: string}> | undefined): Array<string> => (xs ?? []).map((x) => x.name);
  const checks: Array<[string, boolean]> = [
    [
      'commands',
      same(
        (p.commands ?? []).map((c) => (c.paths ?? [[]]).map((x) => x.join(' ')).join('|')),
        m.commands.map((x) => x.join('|')),
      ),
    ],
    ['events', same(Object.keys(p.events ?? {}), Object.keys(m.events))],
    ['projections', same(names(p.projections), m.projections)],
    ['reactions', (p.reactions ?? []).length === m.reactions.length],
    ['points', same(Object.keys(p.points ?? {}), Object.keys(m.points))],
    [
      'contributions',
      same(Object.keys(p.contributes ?? {}), Object.keys(m.contributes)) &&
        Object.entries(m.contributes).every(([point, items]) =>
          same(
            names(p.contributes?.[point]),
            items.map((x) => x.name),
          ),
        ),
    ],
  ];
  return checks.find(([, ok]) => !ok)?.[0];
};

/**
 * Registers everything a built-in contributes from its manifest, without evaluating its code, so
 * a command pays only for the plugins it uses ("load cost is paid only for what a command uses").
 * The module is evaluated the first time one of its pieces is needed: a command class, a
 * projection, an event validator, a reaction, a point's check, a contributed item, or a service
 * token. A contribution's plain data comes from the manifest, without evaluating anything.
 *
 * Services: each token the manifest lists is registered at once as a placeholder that loads the
 * plugin and resolves again. A placeholder is only a stand-in for the plugin's own registration,
 * so when the plugin loads, it registers a token only if its placeholder is still the latest
 * registration; a later plugin that replaced the token (a user's QUEUE_RANKER) keeps it.
 */
export const installLazy = (b: LazyBuiltin, ctx: LoadContext): LoadedPlugin => {
  const m = b.manifest;
  const {registry} = ctx;
  const placeholder = `lazy:${m.name}`;
  let plugin: SporPlugin | undefined;

  const guarded = (): Registrar => {
    const real = registrar(ctx.container, (t) => registry.registered(t, m.name));
    const mine = (t: symbol): boolean => registry.tokenOwners.get(t) === placeholder;
    return {
      value: (t, value) => {
        if (mine(t)) real.value(t, value);
      },
      factory: (t, make) => {
        if (mine(t)) real.factory(t, make);
      },
      singleton: (t, cls) => {
        if (mine(t)) real.singleton(t, cls);
      },
    };
  };

  const get = (): SporPlugin => {
    if (plugin) return plugin;
    const p = (b.loadSync() as {default?: SporPlugin}).default;
    const drift = driftOf(p, m);
    if (drift !== undefined)
      throw new Error(`built-in plugin '${m.name}' does not match its manifest (${drift}); rebuild spor`);
    plugin = p as SporPlugin;
    plugin.services?.(guarded());
    return plugin;
  };
  const piece = <T>(list: (p: SporPlugin) => ReadonlyArray<T> | undefined, i: number): T => (list(get()) ?? [])[i] as T;

  for (const description of m.tokens) {
    const t = Symbol.for(description);
    registry.registered(t, placeholder);
    ctx.container.register(t, {
      useFactory: (c) => {
        get();
        if (registry.tokenOwners.get(t) === placeholder)
          throw new Error(`built-in plugin '${m.name}' did not register ${description}; rebuild spor`);
        return c.resolve(t);
      },
    });
  }
  ctx.catalog.declare(m.name, m.events, () => get().events ?? {});
  m.projections.forEach((name, i) =>
    registry.projections.set(name, {
      plugin: m.name,
      get projection() {
        return piece((p) => p.projections, i) as Projection<unknown>;
      },
    }),
  );
  m.reactions.forEach((r, i) => {
    const reaction: Reaction = {
      on: r.on,
      run: (event, rctx) => piece((p) => p.reactions, i).run(event, rctx),
      ...(r.name === undefined ? {} : {name: r.name}),
    };
    registry.reactions.push({plugin: m.name, reaction});
    ctx.bus.register(m.name, reaction);
  });
  for (const setting of m.settings) registry.settings.set(setting.key, {plugin: m.name, setting});
  for (const [name, {description}] of Object.entries(m.points)) {
    registry.points.set(name, {
      plugin: m.name,
      description,
      get definition() {
        return get().points?.[name] as PointDefinition;
      },
    });
  }
  for (const [point, items] of Object.entries(m.contributes)) {
    items.forEach((data, i) =>
      registry.contribute(point, {
        plugin: m.name,
        data,
        get item() {
          return piece((p) => p.contributes?.[point], i);
        },
      }),
    );
  }
  m.commands.forEach((paths, i) => {
    for (const path of paths) {
      registry.commands.set(path, {
        plugin: m.name,
        get command() {
          return piece((p) => p.commands, i) as CommandClass<SporContext>;
        },
      });
    }
  });
  return {
    name: m.name,
    version: m.version,
    source: 'builtin',
    location: b.location,
    get plugin() {
      return get();
    },
  };
};
