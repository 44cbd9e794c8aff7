import {UsageError} from '../../core/index.js';

/**
 * What spor takes from a reference Spor CLI `config.json` (its machine state), checked whole
 * before anything is written. Keys spor has no use for are listed, not refused.
 */
export interface ReferenceConfig {
  repos: Array<[string, string]>;
  agent?: string | null;
  declared: Array<[string, Array<string>]>;
  deny: Array<string>;
  worktree?: boolean;
  worktreeDir?: string;
  template?: string;
  /** `dispatch.worktreeSetup`: one command, or one per repo slug. */
  setup: Array<{key: string; value: string}>;
  /** Keys present but not imported, with why. */
  ignored: Array<{key: string; why: string}>;
}

const HINT = 'fix the file (or move it aside) and run the import again; nothing was imported';

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

const bad = (file: string, key: string, wanted: string, v: unknown): UsageError =>
  new UsageError(`${file}: ${key} must be ${wanted}, not ${kind(v)}`, {code: 'E_IMPORT_CONFIG', hint: HINT});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const strings = (file: string, key: string, v: unknown): Array<string> => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(file, key, 'a list of strings', v);
  return v as Array<string>;
};

/** `~/x` → under `home`; other paths as written (the reference stores absolute ones). */
const expand = (path: string, home: string | undefined): string =>
  path === '~' && home ? home : path.startsWith('~/') && home ? `${home}${path.slice(1)}` : path;

// Keys of `dispatch` this importer reads; every other key is reported as not imported.
const READ = new Set(['repos', 'agent', 'capabilities', 'worktree', 'worktreeDir', 'worktreeSetup', 'template']);

/** Parses and checks `config.json`'s text; a malformed file is a usage error naming the key and the fix. */
export const parseConfig = (text: string, file: string, userHome: string | undefined): ReferenceConfig => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`, {code: 'E_IMPORT_CONFIG', hint: HINT});
  }
  if (!isObject(raw)) throw bad(file, 'the top level', 'an object', raw);
  const config: ReferenceConfig = {repos: [], declared: [], deny: [], setup: [], ignored: []};
  for (const key of Object.keys(raw))
    if (key !== 'dispatch') config.ignored.push({key, why: 'spor has no equivalent of this setting'});
  const dispatch = raw.dispatch;
  if (dispatch === undefined) return config;
  if (!isObject(dispatch)) throw bad(file, 'dispatch', 'an object', dispatch);
  for (const key of Object.keys(dispatch))
    if (!READ.has(key)) config.ignored.push({key: `dispatch.${key}`, why: 'spor has no equivalent of this setting'});

  const {repos, agent, capabilities, worktree, worktreeDir, worktreeSetup, template} = dispatch;
  if (repos !== undefined) {
    if (!isObject(repos)) throw bad(file, 'dispatch.repos', 'an object of slug → path', repos);
    for (const [slug, path] of Object.entries(repos)) {
      if (typeof path !== 'string' || path.trim() === '')
        throw bad(file, `dispatch.repos.${slug}`, 'a directory path', path);
      config.repos.push([slug, expand(path.trim(), userHome)]);
    }
  }
  if (agent !== undefined) {
    if (agent !== null && typeof agent !== 'string') throw bad(file, 'dispatch.agent', 'an agent id', agent);
    config.agent = agent === '' ? null : agent;
  }
  if (capabilities !== undefined) {
    if (!isObject(capabilities)) throw bad(file, 'dispatch.capabilities', 'an object', capabilities);
    for (const key of Object.keys(capabilities))
      if (!['declared', 'deny', 'probed'].includes(key))
        config.ignored.push({key: `dispatch.capabilities.${key}`, why: 'spor has no equivalent of this setting'});
    const {declared, deny, probed} = capabilities;
    if (declared !== undefined) {
      if (!isObject(declared)) throw bad(file, 'dispatch.capabilities.declared', 'an object of axis → names', declared);
      for (const [axis, values] of Object.entries(declared))
        config.declared.push([axis, strings(file, `dispatch.capabilities.declared.${axis}`, values)]);
    }
    if (deny !== undefined) config.deny = strings(file, 'dispatch.capabilities.deny', deny);
    if (probed !== undefined)
      config.ignored.push({
        key: 'dispatch.capabilities.probed',
        why: 'a probe cache: spor probes this machine itself (`spor capabilities probe`)',
      });
  }
  if (worktree !== undefined) {
    if (typeof worktree !== 'boolean') throw bad(file, 'dispatch.worktree', 'true or false', worktree);
    config.worktree = worktree;
  }
  if (worktreeDir !== undefined) {
    if (typeof worktreeDir !== 'string') throw bad(file, 'dispatch.worktreeDir', 'a folder', worktreeDir);
    config.worktreeDir = worktreeDir;
  }
  if (template !== undefined) {
    if (typeof template !== 'string') throw bad(file, 'dispatch.template', 'a file path', template);
    config.template = expand(template, userHome);
  }
  if (typeof worktreeSetup === 'string') {
    if (worktreeSetup.trim() !== '') config.setup.push({key: 'worktree.setup', value: worktreeSetup.trim()});
  } else if (isObject(worktreeSetup)) {
    for (const [slug, cmd] of Object.entries(worktreeSetup)) {
      if (typeof cmd !== 'string') throw bad(file, `dispatch.worktreeSetup.${slug}`, 'a command', cmd);
      config.setup.push({key: `worktree.setup (${slug})`, value: cmd.trim()});
    }
  } else if (worktreeSetup !== undefined)
    throw bad(file, 'dispatch.worktreeSetup', 'a command (or an object of slug → command)', worktreeSetup);
  return config;
};
