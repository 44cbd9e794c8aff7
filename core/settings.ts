import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {parseDuration} from './duration.js';
import {inject, injectable, token} from './di.js';
import {UsageError} from './errors.js';
import type {SettingDefinition} from './plugin.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {CWD, ENV, PLUGIN_REGISTRY} from './tokens.js';

export type SettingValue = string | number | boolean;
/** Where a resolved value came from, highest precedence first. */
export type SettingSource = 'flag' | 'env' | 'repo' | 'machine' | 'default';

export interface ResolvedSetting {
  key: string;
  value: SettingValue;
  source: SettingSource;
  /** The env variable, file or flag behind a non-default value. */
  origin?: string;
  /** The key the value was found under when it was an old name (an alias) rather than `key`. */
  alias?: string;
  definition: SettingDefinition;
}

/** Every setting resolved from one read of this machine's values; repository files read once per checkout. */
export interface SettingsView {
  get(key: string, opts?: {flag?: SettingValue; repoDir?: string}): ResolvedSetting;
}

/** The values this machine recorded as events; provided by the `settings` plugin. */
export interface MachineSettings {
  values(): Promise<Record<string, SettingValue>>;
}
export const MACHINE_SETTINGS = token<MachineSettings>('spor.core.MachineSettings');

/** `hooks.timeout` → `SPOR_HOOKS_TIMEOUT`. */
export const envNameOf = (key: string): string => `SPOR_${key.toUpperCase().replace(/[.-]/g, '_')}`;

/** The top of the git checkout holding `dir`, if any. */
export const gitRootOf = (dir: string): string | undefined => {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
};

// `.spor.json` may nest keys (`{"dispatch": {"worktree": true}}`) or spell them dotted.
const flatten = (o: Record<string, unknown>, prefix = ''): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
};

/**
 * Resolves configuration per call: flag > SPOR_* env > the target repository's committed
 * `.spor.json` (repo-safe keys only) > this machine's recorded settings > the plugin's default.
 */
@injectable()
export class Settings {
  constructor(
    @inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
    @inject(CWD) private readonly cwd: string,
    @inject(MACHINE_SETTINGS) private readonly machine: MachineSettings,
  ) {}

  definitions(): Array<SettingDefinition> {
    return [...this.registry.settings.values()].map((s) => s.setting).sort((a, b) => a.key.localeCompare(b.key));
  }

  /** The definition of `key`, or a usage error listing the known keys. */
  definition(key: string): SettingDefinition {
    const def =
      this.registry.settings.get(key)?.setting ??
      [...this.registry.settings.values()].find((s) => s.setting.aliases?.includes(key))?.setting;
    if (!def) {
      throw new UsageError(`unknown setting '${key}'`, {
        code: 'E_SETTING_UNKNOWN',
        hint: `known settings: ${this.definitions()
          .map((d) => d.key)
          .join(', ')}`,
      });
    }
    return def;
  }

  /** Parses a textual value for `def`; throws a usage error naming the expected form. */
  parse(def: SettingDefinition, raw: string, origin = def.key): SettingValue {
    switch (def.type) {
      case 'string':
        return raw;
      case 'number': {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${origin} must be a number, not '${raw}'`);
        return n;
      }
      case 'boolean': {
        if (/^(true|yes|on|1)$/i.test(raw)) return true;
        if (/^(false|no|off|0)$/i.test(raw)) return false;
        throw new UsageError(`${origin} must be true or false, not '${raw}'`);
      }
      case 'duration': {
        if (parseDuration(raw) === undefined)
          throw new UsageError(`${origin} must be a duration such as 30s, 2m or 500ms, not '${raw}'`);
        return raw.trim();
      }
    }
  }

  async get(key: string, opts: {flag?: SettingValue; repoDir?: string} = {}): Promise<ResolvedSetting> {
    return (await this.view()).get(key, opts);
  }

  async all(opts: {repoDir?: string} = {}): Promise<Array<ResolvedSetting>> {
    const view = await this.view();
    return this.definitions().map((d) => view.get(d.key, opts));
  }

  /**
   * Reads this machine's values once and resolves any setting from them: a flow that needs several
   * settings (a dispatch) takes one view instead of reading the machine's values per key.
   */
  async view(): Promise<SettingsView> {
    const machine = await this.machine.values();
    const repos = new Map<string, ReturnType<Settings['repoValues']>>();
    const repoAt = (dir = this.cwd): ReturnType<Settings['repoValues']> => {
      if (!repos.has(dir)) repos.set(dir, this.repoValues(dir));
      return repos.get(dir);
    };
    return {get: (key, opts = {}) => this.resolveWith(this.definition(key), opts.flag, machine, repoAt(opts.repoDir))};
  }

  private resolveWith(
    def: SettingDefinition,
    flag: SettingValue | undefined,
    machine: Record<string, SettingValue>,
    repo: {file: string; values: Record<string, unknown>} | undefined,
  ): ResolvedSetting {
    const base = {key: def.key, definition: def};
    if (flag !== undefined) return {...base, value: flag, source: 'flag'};
    // Each layer looks under the key, then under its old names: a newer name wins within a layer.
    const names = [def.key, ...(def.aliases ?? [])];
    const as = (name: string): {alias?: string} => (name === def.key ? {} : {alias: name});
    for (const name of names) {
      const envName = envNameOf(name);
      const envValue = this.env[envName];
      if (envValue !== undefined && envValue !== '')
        return {...base, ...as(name), value: this.parse(def, envValue, envName), source: 'env', origin: envName};
    }
    for (const name of def.repoSafe && repo ? names : []) {
      const repoValue = repo?.values[name];
      if (repo && repoValue !== undefined)
        return {
          ...base,
          ...as(name),
          value: this.parse(def, String(repoValue), `${name} in ${repo.file}`),
          source: 'repo',
          origin: repo.file,
        };
    }
    for (const name of names) {
      const machineValue = machine[name];
      if (machineValue !== undefined) return {...base, ...as(name), value: machineValue, source: 'machine'};
    }
    return {...base, value: def.default, source: 'default'};
  }

  // A repository's .spor.json is read, never trusted: only keys declared repo-safe are taken.
  private repoValues(dir = this.cwd): {file: string; values: Record<string, unknown>} | undefined {
    const root = gitRootOf(dir);
    const file = root && join(root, '.spor.json');
    if (!file || !existsSync(file)) return undefined;
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return {file, values: flatten(parsed as Record<string, unknown>)};
    } catch (e) {
      throw new UsageError(`${file} is not valid JSON (${(e as Error).message})`, {
        code: 'E_REPO_CONFIG',
        hint: 'fix or remove that file',
      });
    }
  }
}
