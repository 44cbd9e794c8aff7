import {accessSync, constants, statSync} from 'node:fs';
import {delimiter, isAbsolute, join} from 'node:path';
import type {ProbeContext, Prober} from './prober.js';

/** How long `<binary> --version` may take before the binary counts as found with no version. */
export const VERSION_TIMEOUT_MS = 2000;
// A binary that exits while something it started still holds its output would keep spor waiting.
const STREAM_GRACE_MS = 200;
const OUTPUT_LIMIT = 4096;

/**
 * An existing regular file this user may execute. Synchronous on purpose: a few stat calls cost
 * microseconds, and node:fs/promises would load with it.
 */
export const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The first executable file called `name` in the directories of `pathVar` (a PATH value), like a
 * shell's lookup but without a shell or a `which` child. Empty and relative PATH entries are
 * skipped: they would make the answer depend on the directory spor happens to run in.
 */
export const findExecutable = async (name: string, pathVar: string | undefined): Promise<string | undefined> => {
  if (name === '' || name.includes('/')) return undefined;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
};

/** What `<binary> --version` said: a version, or why there is none. */
export interface VersionOutcome {
  version?: string;
  error?: string;
}

// The version-like part of a `--version` line: `2.0.14 (Claude Code)` → `2.0.14`, `codex-cli 0.46.0` → `0.46.0`.
const VERSION = /\d+(?:\.\d+)+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/;

/** Reads a version from `--version` output: the version-like token of its first line, else the line. */
export const versionFrom = (output: string): string | undefined => {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) return undefined;
  return VERSION.exec(line)?.[0] ?? line.slice(0, 80);
};

/** A binary's environment for `--version`: enough to start (PATH, HOME, locale), never spor's secrets. */
const versionEnv = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const out: Record<string, string> = {NO_COLOR: '1'};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL']) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
};

/** What a quiet run of the binary printed, or why it printed nothing usable. */
interface Captured {
  stdout: string;
  stderr: string;
  error?: string;
}

/**
 * Runs `<path> <args>` without a shell in a minimal environment and collects what it prints. The
 * binary runs in its own process group, killed whole at `timeoutMs` or when `signal` aborts, so a
 * binary that hangs (or leaves a child behind) never holds spor up. Never throws.
 */
const capture = async (
  path: string,
  args: ReadonlyArray<string>,
  opts: {env: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal; limit?: number},
): Promise<Captured> => {
  const shown = args.join(' ');
  if (opts.signal?.aborted) return {stdout: '', stderr: '', error: `the probe deadline passed before ${shown} ran`};
  const limit = opts.limit ?? OUTPUT_LIMIT;
  // execa is loaded only when a probe runs: most commands never need it.
  const {execa} = await import('execa');
  const timeoutMs = opts.timeoutMs ?? VERSION_TIMEOUT_MS;
  const sub = execa(path, [...args], {
    shell: false,
    extendEnv: false,
    env: versionEnv(opts.env),
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
    windowsHide: true,
  });
  let stdout = '';
  let stderr = '';
  sub.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < limit) stdout += chunk.toString('utf8');
  });
  sub.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < limit) stderr += chunk.toString('utf8');
  });
  let stopped: 'timeout' | 'aborted' | undefined;
  const killGroup = (why: 'timeout' | 'aborted'): void => {
    stopped ??= why;
    try {
      if (sub.pid !== undefined) process.kill(-sub.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    setTimeout(() => {
      sub.stdout?.destroy();
      sub.stderr?.destroy();
    }, STREAM_GRACE_MS).unref();
  };
  const timer = setTimeout(() => killGroup('timeout'), timeoutMs);
  const onAbort = (): void => killGroup('aborted');
  opts.signal?.addEventListener('abort', onAbort, {once: true});
  let grace: NodeJS.Timeout | undefined;
  sub.once('exit', () => {
    grace = setTimeout(() => {
      sub.stdout?.destroy();
      sub.stderr?.destroy();
    }, STREAM_GRACE_MS);
  });
  try {
    const result = await sub;
    if (stopped === 'timeout') return {stdout, stderr, error: `${shown} did not answer within ${timeoutMs}ms`};
    if (stopped === 'aborted') return {stdout, stderr, error: 'stopped at the probe deadline'};
    if (result.exitCode === undefined) {
      return {
        stdout,
        stderr,
        error: `could not run: ${(result.originalMessage || result.shortMessage || 'unknown error').split('\n')[0]}`,
      };
    }
    if (result.exitCode !== 0) return {stdout, stderr, error: `${shown} exited ${result.exitCode}`};
    return {stdout, stderr};
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    opts.signal?.removeEventListener('abort', onAbort);
  }
};

/** Runs `<path> --version` (see `capture`) and reads the version. Never throws. */
export const readVersion = async (
  path: string,
  opts: {env: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal},
): Promise<VersionOutcome> => {
  const got = await capture(path, ['--version'], opts);
  if (got.error !== undefined) return {error: got.error};
  const version = versionFrom(got.stdout) ?? versionFrom(got.stderr);
  return version === undefined ? {error: '--version printed nothing'} : {version};
};

// A long option as help texts list it: `--sandbox <MODE>`, `--allowedTools, --allowed-tools`, `--json`.
const LONG_FLAG = /(?<![\w-])--([a-zA-Z][a-zA-Z0-9-]*)/g;

/** The long flags a help text names (`sandbox`, `json`, …), sorted, without the dashes. */
export const flagsFrom = (help: string): Array<string> =>
  [...new Set([...help.matchAll(LONG_FLAG)].map((m) => m[1] as string))].sort();

/** Runs `<path> <helpArgs>` (see `capture`) and reads the long flags it lists. Never throws. */
export const readHelpFlags = async (
  path: string,
  helpArgs: ReadonlyArray<string>,
  opts: {env: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal},
): Promise<{flags?: Array<string>; error?: string}> => {
  // Help texts run to a few hundred lines (Claude Code's is ~15 KB).
  const got = await capture(path, helpArgs, {...opts, limit: 256 * 1024});
  if (got.error !== undefined) return {error: got.error};
  const flags = flagsFrom(`${got.stdout}\n${got.stderr}`);
  return flags.length > 0 ? {flags} : {error: `${helpArgs.join(' ')} listed no flags`};
};

/** How a harness binary is found. */
export interface BinaryProberOptions {
  /** The prober's name (shown by `spor capabilities probe`). */
  name: string;
  /** The harness it reports when the binary is found (`claude-code`). */
  harness: string;
  /** The executable's name on PATH (`claude`). */
  binary: string;
  /**
   * A string setting the plugin declares (default '') that points the harness at another binary:
   * an absolute path, `~/…`, or another command name on PATH. Not repo-safe: it names a program.
   */
  settingKey?: string;
  versionTimeoutMs?: number;
  /**
   * The arguments that make the binary list the flags spor launches it with (`['exec', '--help']`
   * for codex): the probe records them as the `flags` fact (space-separated, no dashes), and
   * dispatch refuses a launch that needs a flag the installed version does not list.
   */
  helpArgs?: Array<string>;
}

const fromSetting = async (value: string, key: string, ctx: ProbeContext): Promise<string> => {
  const home = ctx.env.HOME ?? '';
  const expanded = value.startsWith('~/') && home !== '' ? join(home, value.slice(2)) : value;
  if (!expanded.includes('/')) {
    const found = await findExecutable(expanded, ctx.env.PATH);
    if (!found) throw new Error(`${key} names '${value}', which is not an executable on PATH`);
    return found;
  }
  if (!isAbsolute(expanded)) throw new Error(`${key} must be an absolute path or a command name, not '${value}'`);
  if (!isExecutableFile(expanded)) throw new Error(`${key} points at ${expanded}, which is not an executable file`);
  return expanded;
};

/**
 * A prober that reports `harness` when its binary is found: at the path the setting points to, or
 * else on PATH. The version comes from `--version` when it answers in time; a binary that hangs or
 * fails still counts as found, with `version_error` saying why there is no version; with `helpArgs`,
 * the flags its help lists are the `flags` fact (`flags_error` when it listed none). A setting that
 * points nowhere makes the probe fail (reported), rather than silently falling back to PATH.
 */
export const binaryProber = (opts: BinaryProberOptions): Prober => ({
  name: opts.name,
  probe: async (ctx) => {
    const configured = opts.settingKey ? String(await ctx.setting(opts.settingKey)).trim() : '';
    const path =
      configured !== '' && opts.settingKey
        ? await fromSetting(configured, opts.settingKey, ctx)
        : await findExecutable(opts.binary, ctx.env.PATH);
    if (path === undefined) return {harnesses: []};
    const run = {env: ctx.env, timeoutMs: opts.versionTimeoutMs, signal: ctx.signal};
    const [v, help] = await Promise.all([
      readVersion(path, run),
      opts.helpArgs ? readHelpFlags(path, opts.helpArgs, run) : undefined,
    ]);
    const facts: Record<string, string> = {path};
    if (configured !== '' && opts.settingKey) facts.via = opts.settingKey;
    if (v.version !== undefined) facts.version = v.version;
    if (v.error !== undefined) facts.version_error = v.error;
    if (help?.flags) facts.flags = help.flags.join(' ');
    if (help?.error !== undefined) facts.flags_error = help.error;
    return {harnesses: [opts.harness], facts: {[opts.harness]: facts}};
  },
});
