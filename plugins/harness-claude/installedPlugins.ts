import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

/** One installed Claude Code plugin, as `plugins/installed_plugins.json` records it. */
export interface InstalledPlugin {
  /** The plugin's name (the key's part before `@`). */
  name: string;
  marketplace?: string;
  version?: string;
  /** Where its files are, when that directory exists. */
  dir?: string;
}

type Install = {installPath?: unknown; version?: unknown};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const readJson = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message})`, {cause: e});
  }
};

/**
 * Claude Code's installed plugins. `installed_plugins.json` maps `<plugin>@<marketplace>` to one
 * install (version 1) or a list of installs, one per scope (version 2), each with `installPath`
 * and `version`. Plugins that `settings.json`'s `enabledPlugins` turns off (`false`) are left out.
 * The directory is `installPath`, or else `plugins/cache/<marketplace>/<plugin>/<version>`.
 */
export const installedPlugins = (configDir: string): Array<InstalledPlugin> => {
  const pluginsDir = join(configDir, 'plugins');
  let settings: unknown;
  try {
    settings = readJson(join(configDir, 'settings.json'));
  } catch {
    settings = undefined;
  }
  const enabled = isObject(settings) && isObject(settings.enabledPlugins) ? settings.enabledPlugins : {};
  const byKey = new Map<string, InstalledPlugin>();
  for (const file of ['installed_plugins.json', 'installed_plugins_v2.json']) {
    const data = readJson(join(pluginsDir, file));
    if (data === undefined) continue;
    if (!isObject(data) || !isObject(data.plugins))
      throw new Error(`${join(pluginsDir, file)} has no "plugins" object`);
    for (const [key, value] of Object.entries(data.plugins)) {
      if (byKey.has(key) || enabled[key] === false) continue;
      const installs = (Array.isArray(value) ? value : [value]).filter(isObject) as Array<Install>;
      const at = key.lastIndexOf('@');
      const name = at > 0 ? key.slice(0, at) : key;
      const marketplace = at > 0 ? key.slice(at + 1) : undefined;
      const install = installs[0];
      const version = typeof install?.version === 'string' ? install.version : undefined;
      const candidates = [
        ...installs.map((i) => (typeof i.installPath === 'string' ? i.installPath : undefined)),
        marketplace && version ? join(pluginsDir, 'cache', marketplace, name, version) : undefined,
      ];
      const dir = candidates.find((d): d is string => d !== undefined && existsSync(d));
      byKey.set(key, {
        name,
        ...(marketplace ? {marketplace} : {}),
        ...(version ? {version} : {}),
        ...(dir ? {dir} : {}),
      });
    }
  }
  return [...byKey.values()];
};
