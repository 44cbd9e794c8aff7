import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import type {SporPluginApi} from './api.js';
import type {BuiltinPlugin} from './builtins.js';
import {nodeCrypto} from './builtinModules.js';
import type {EventCatalog} from './catalog.js';
import {registrar, type Container} from './di.js';
import {importModule} from './dynamicImport.js';
import type {EventBus} from './eventBus.js';
import {dataOf} from './contributions.js';
import {installLazy} from './lazyPlugin.js';
import type {LoadedPlugin, PluginSource, SporPlugin} from './plugin.js';
import {commandPaths, type PluginRegistry} from './pluginRegistry.js';

/** One entry of $SPOR_HOME/spor.plugins.json. */
export interface UserPluginEntry {
  name: string;
  /** What the user added: `file:/abs/path` or `npm:<spec>`. */
  spec: string;
  /** The module to import (absolute). */
  path: string;
  version?: string;
  /** `sha256-<hex>` of the module file, checked before importing an npm plugin. */
  checksum?: string;
}

export interface UserPluginsFile {
  apiVersion: 1;
  plugins: Array<UserPluginEntry>;
}

export interface LoadContext {
  container: Container;
  registry: PluginRegistry;
  catalog: EventCatalog;
  bus: EventBus;
  api: SporPluginApi;
}

const isFn = (v: unknown): v is (...args: Array<never>) => unknown => typeof v === 'function';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SETTING_TYPES = new Set(['string', 'number', 'boolean', 'duration']);

/** Checks a definition's shape; returns what is wrong, or undefined. */
export const shapeError = (p: unknown): string | undefined => {
  if (!isObj(p)) return 'the definition is not an object';
  if (typeof p.name !== 'string' || !/^[a-z0-9@][a-z0-9@/._-]*$/.test(p.name))
    return `'name' must be a lower-case plugin name`;
  if (typeof p.version !== 'string') return `'version' must be a string`;
  const arrayOf = (key: string, ok: (v: unknown) => boolean, what: string): string | undefined => {
    const v = p[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return `'${key}' must be an array`;
    const bad = v.findIndex((x) => !ok(x));
    return bad === -1 ? undefined : `${key}[${bad}] is not ${what}`;
  };
  return (
    arrayOf(
      'commands',
      (c) => isFn(c) && Array.isArray((c as {paths?: unknown}).paths),
      'a command class with static paths',
    ) ??
    arrayOf(
      'projections',
      (x) =>
        isObj(x) &&
        typeof x.name === 'string' &&
        typeof x.version === 'number' &&
        isFn(x.initial) &&
        isFn(x.apply) &&
        (x.on === undefined || (Array.isArray(x.on) && x.on.every((o) => typeof o === 'string'))) &&
        (x.snapshotAfter === undefined || (Number.isInteger(x.snapshotAfter) && (x.snapshotAfter as number) > 0)) &&
        (x.codec === undefined || (isObj(x.codec) && isFn(x.codec.encode) && isFn(x.codec.decode))),
      'a projection {name, version, on?, snapshotAfter?, codec?, initial, apply}',
    ) ??
    arrayOf(
      'reactions',
      (x) =>
        isObj(x) &&
        (typeof x.on === 'string' || (Array.isArray(x.on) && x.on.every((o) => typeof o === 'string'))) &&
        isFn(x.run),
      'a reaction {on, run}',
    ) ??
    arrayOf(
      'settings',
      (x) =>
        isObj(x) &&
        typeof x.key === 'string' &&
        SETTING_TYPES.has(x.type as string) &&
        x.default !== undefined &&
        typeof x.description === 'string' &&
        (x.aliases === undefined || (Array.isArray(x.aliases) && x.aliases.every((a) => typeof a === 'string'))),
      'a setting {key, type, default, description}',
    ) ??
    (p.events !== undefined &&
    (!isObj(p.events) || !Object.values(p.events).every((d) => isObj(d) && typeof d.v === 'number' && isFn(d.data)))
      ? `'events' must map each type to {v, data}`
      : undefined) ??
    (p.events !== undefined && Object.keys(p.events as object).some((k) => !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(k))
      ? 'event types must be kebab-case'
      : undefined) ??
    (p.services !== undefined && !isFn(p.services) ? `'services' must be a function` : undefined) ??
    (p.points !== undefined &&
    (!isObj(p.points) ||
      !Object.values(p.points).every(
        (d) => isObj(d) && typeof d.description === 'string' && (d.check === undefined || isFn(d.check)),
      ))
      ? `'points' must map each extension point to {description, check?}`
      : undefined) ??
    contributesError(p.contributes) ??
    (p.exports !== undefined && !isObj(p.exports) ? `'exports' must be an object` : undefined) ??
    strayField(p)
  );
};

const FIELDS = new Set([
  'name',
  'version',
  'commands',
  'events',
  'projections',
  'reactions',
  'settings',
  'services',
  'points',
  'contributes',
  'exports',
]);

const contributesError = (c: unknown): string | undefined => {
  if (c === undefined) return undefined;
  if (!isObj(c)) return `'contributes' must map each extension point to an array of items`;
  for (const [point, items] of Object.entries(c)) {
    if (!Array.isArray(items)) return `contributes.${point} must be an array`;
    const bad = items.findIndex((x) => !isObj(x) || typeof x.name !== 'string' || x.name === '');
    if (bad !== -1) return `contributes.${point}[${bad}] is not an item with a name`;
  }
  return undefined;
};

// A list where the definition has no such field is most likely an extension point's items put at
// the top level, where they would be silently ignored.
const strayField = (p: Record<string, unknown>): string | undefined => {
  const stray = Object.keys(p).find((k) => !FIELDS.has(k) && Array.isArray(p[k]));
  return stray === undefined
    ? undefined
    : `'${stray}' is not a plugin field (items for an extension point go in \`contributes: {${stray}: [...]}\`)`;
};

/** What the owners of the points `p` contributes to find wrong with its items (the owner may be `p`). */
const pointError = (p: SporPlugin, registry: PluginRegistry): string | undefined => {
  for (const [point, items] of Object.entries(p.contributes ?? {})) {
    const check = (p.points?.[point] ?? registry.points.get(point)?.definition)?.check;
    if (!check) continue;
    for (const [i, item] of items.entries()) {
      const problem = check(item as unknown as Record<string, unknown>);
      if (problem !== undefined) return `contributes.${point}[${i}] ('${item.name}') ${problem}`;
    }
  }
  return undefined;
};

/** What in `p` is already provided by a loaded plugin; undefined when nothing clashes. */
const clashOf = (p: SporPlugin, registry: PluginRegistry, catalog: EventCatalog): string | undefined => {
  if (registry.plugins.some((l) => l.name === p.name && !l.error))
    return `a plugin named '${p.name}' is already loaded`;
  for (const c of p.commands ?? []) {
    for (const path of commandPaths(c)) {
      const owner = registry.commands.get(path);
      if (owner) return `command '${path}' is already provided by '${owner.plugin}'`;
    }
  }
  for (const type of Object.keys(p.events ?? {})) {
    const owner = catalog.owner(type);
    if (owner) return `event type '${type}' is already provided by '${owner}'`;
  }
  for (const proj of p.projections ?? []) {
    const owner = registry.projections.get(proj.name);
    if (owner) return `state slice '${proj.name}' is already provided by '${owner.plugin}'`;
  }
  const settingNames = new Map<string, string>();
  for (const {plugin, setting} of registry.settings.values())
    for (const name of [setting.key, ...(setting.aliases ?? [])]) settingNames.set(name, plugin);
  for (const s of p.settings ?? []) {
    for (const name of [s.key, ...(s.aliases ?? [])]) {
      const owner = settingNames.get(name);
      if (owner) return `setting '${name}' is already provided by '${owner}'`;
    }
  }
  for (const point of Object.keys(p.points ?? {})) {
    const owner = registry.points.get(point);
    if (owner) return `extension point '${point}' is already owned by '${owner.plugin}'`;
  }
  for (const [point, items] of Object.entries(p.contributes ?? {})) {
    const taken = registry.contributions.get(point);
    for (const item of items) {
      const owner = taken?.get(item.name);
      if (owner) return `${point} item '${item.name}' is already provided by '${owner.plugin}'`;
    }
  }
  return undefined;
};

// Services first: if the plugin's own wiring throws, nothing else of it is installed.
const install = (p: SporPlugin, ctx: LoadContext): void => {
  p.services?.(registrar(ctx.container, (t) => ctx.registry.registered(t, p.name)));
  ctx.catalog.add(p.name, p.events ?? {});
  for (const proj of p.projections ?? [])
    ctx.registry.projections.set(proj.name, {plugin: p.name, projection: proj as never});
  for (const r of p.reactions ?? []) {
    ctx.registry.reactions.push({plugin: p.name, reaction: r});
    ctx.bus.register(p.name, r);
  }
  for (const s of p.settings ?? []) ctx.registry.settings.set(s.key, {plugin: p.name, setting: s});
  for (const [name, definition] of Object.entries(p.points ?? {}))
    ctx.registry.points.set(name, {plugin: p.name, description: definition.description, definition});
  for (const [point, items] of Object.entries(p.contributes ?? {}))
    for (const item of items) ctx.registry.contribute(point, {plugin: p.name, data: dataOf(item), item});
  for (const c of p.commands ?? [])
    for (const path of commandPaths(c)) ctx.registry.commands.set(path, {plugin: p.name, command: c});
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';

/** What the loader thinks of a definition before installing it. */
export type Verdict =
  | {ok: true; plugin: SporPlugin}
  | {ok: false; problem: 'shape'; reason: string}
  | {ok: false; problem: 'clash'; plugin: SporPlugin; reason: string};

/**
 * The shape and clash checks the loader runs before installing a plugin, against what is loaded
 * so far. Installs nothing: `spor plugins add` runs it to refuse a plugin before recording it.
 */
export const vetPlugin = (definition: unknown, registry: PluginRegistry, catalog: EventCatalog): Verdict => {
  const problem = shapeError(definition);
  if (problem) return {ok: false, problem: 'shape', reason: problem};
  const p = definition as SporPlugin;
  const wrong = pointError(p, registry);
  if (wrong) return {ok: false, problem: 'shape', reason: wrong};
  const clash = clashOf(p, registry, catalog);
  return clash ? {ok: false, problem: 'clash', plugin: p, reason: clash} : {ok: true, plugin: p};
};

/** Validates, clash-checks and installs one definition; records the outcome either way. */
const admit = (
  definition: unknown,
  meta: {name: string; source: PluginSource; location: string},
  ctx: LoadContext,
): LoadedPlugin => {
  const verdict = vetPlugin(definition, ctx.registry, ctx.catalog);
  if (!verdict.ok) {
    return verdict.problem === 'shape'
      ? {...meta, version: '?', error: `exports the wrong shape: ${verdict.reason}`}
      : {...meta, name: verdict.plugin.name, version: verdict.plugin.version, error: `skipped: ${verdict.reason}`};
  }
  const p = verdict.plugin;
  try {
    install(p, ctx);
  } catch (e) {
    return {...meta, name: p.name, version: p.version, error: `failed to register: ${message(e)}`};
  }
  return {...meta, name: p.name, version: p.version, plugin: p};
};

/**
 * Loads the built-ins in list order; a broken built-in is reported like any other plugin. One that
 * comes with a manifest is registered from it and evaluated when first used (lazyPlugin.ts).
 */
export const loadBuiltins = async (builtins: ReadonlyArray<BuiltinPlugin>, ctx: LoadContext): Promise<void> => {
  for (const b of builtins) {
    if (b.manifest && b.loadSync) {
      ctx.registry.plugins.push(installLazy({location: b.location, manifest: b.manifest, loadSync: b.loadSync}, ctx));
      continue;
    }
    const meta = {name: b.location.replace(/^.*\//, ''), source: 'builtin' as const, location: b.location};
    let loaded: LoadedPlugin;
    try {
      const mod = (await b.load()) as {default?: unknown};
      loaded = admit(mod.default, meta, ctx);
    } catch (e) {
      loaded = {...meta, version: '?', error: `failed to load: ${message(e)}`};
    }
    ctx.registry.plugins.push(loaded);
  }
};

/** Reads $SPOR_HOME/spor.plugins.json; a missing file is no plugins, a broken one is reported. */
export const readUserPlugins = (file: string): {entries: Array<UserPluginEntry>; error?: string} => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {entries: []};
  }
  try {
    const parsed = JSON.parse(text) as Partial<UserPluginsFile>;
    if (!Array.isArray(parsed.plugins)) throw new Error(`no "plugins" array`);
    const entries = parsed.plugins.filter(
      (e): e is UserPluginEntry =>
        isObj(e) && typeof e.name === 'string' && typeof e.spec === 'string' && typeof e.path === 'string',
    );
    const dropped = parsed.plugins.length - entries.length;
    // A hand-edited entry missing a field is skipped by itself; the others still load.
    return dropped === 0
      ? {entries}
      : {
          entries,
          error: `${file} has ${dropped} malformed ${dropped === 1 ? 'entry' : 'entries'} (each needs "name", "spec" and "path" strings), skipped — run \`spor doctor --repair\` to rewrite it`,
        };
  } catch (e) {
    return {
      entries: [],
      error: `${file} is not valid (${message(e)}); user plugins were not loaded — run \`spor doctor --repair\` to rewrite it`,
    };
  }
};

const sha256 = (file: string): string =>
  `sha256-${nodeCrypto().createHash('sha256').update(readFileSync(file)).digest('hex')}`;

/** Imports one user plugin module and calls its factory with the host API. */
export const importUserPlugin = async (
  entry: Pick<UserPluginEntry, 'path' | 'checksum'>,
  api: SporPluginApi,
): Promise<unknown> => {
  if (entry.checksum && sha256(entry.path) !== entry.checksum)
    throw new Error(`its module changed since it was added (checksum mismatch)`);
  const mod = (await importModule(pathToFileURL(entry.path).href)) as {default?: unknown};
  if (typeof mod.default !== 'function')
    throw new Error('must default-export a factory: `export default (spor) => spor.definePlugin({...})`');
  return (mod.default as (a: SporPluginApi) => unknown)(api);
};

/** Loads user plugins after the built-ins, in the order they were added. */
export const loadUserPlugins = async (entries: ReadonlyArray<UserPluginEntry>, ctx: LoadContext): Promise<void> => {
  for (const entry of entries) {
    const meta = {
      name: entry.name,
      source: (entry.spec.startsWith('npm:') ? 'npm' : 'path') as PluginSource,
      location: entry.path,
    };
    let loaded: LoadedPlugin;
    try {
      loaded = admit(await importUserPlugin(entry, ctx.api), meta, ctx);
    } catch (e) {
      loaded = {...meta, version: entry.version ?? '?', error: `failed to load: ${message(e)}`};
    }
    ctx.registry.plugins.push(loaded);
  }
};

export {sha256 as fileChecksum};
