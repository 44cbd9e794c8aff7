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

/**
 * Runs `<path> --version` without a shell in a minimal environment and reads the version. The
 * binary runs in its own process group, killed whole at `timeoutMs` or when `signal` aborts, so a
 * binary that hangs (or leaves a child behind) never holds spor up. Never throws.
 */
export const readVersion = async (
  path: string,
  opts: {env: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal},
): Promise<VersionOutcome> => {
  if (opts.signal?.aborted) return {error: 'the probe deadline passed before --version ran'};
  // execa is loaded only when a probe runs: most commands never need it.
  const {execa} = await import('execa');
  const timeoutMs = opts.timeoutMs ?? VERSION_TIMEOUT_MS;
  const sub = execa(path, ['--version'], {
    shell: false,
    extendEnv: false,
    env: versionEnv(opts.env),
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
    windowsHide: true,
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
  };
  let stderrText = '';
  sub.stdout?.on('data', collect);
  sub.stderr?.on('data', (chunk: Buffer) => {
    if (stderrText.length < OUTPUT_LIMIT) stderrText += chunk.toString('utf8');
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
    if (stopped === 'timeout') return {error: `--version did not answer within ${timeoutMs}ms`};
    if (stopped === 'aborted') return {error: 'stopped at the probe deadline'};
    if (result.exitCode === undefined) {
      return {
        error: `could not run: ${(result.originalMessage || result.shortMessage || 'unknown error').split('\n')[0]}`,
      };
    }
    if (result.exitCode !== 0) return {error: `--version exited ${result.exitCode}`};
    const version = versionFrom(output) ?? versionFrom(stderrText);
    return version === undefined ? {error: '--version printed nothing'} : {version};
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    opts.signal?.removeEventListener('abort', onAbort);
  }
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
 * fails still counts as found, with `version_error` saying why there is no version. A setting that
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
    const v = await readVersion(path, {env: ctx.env, timeoutMs: opts.versionTimeoutMs, signal: ctx.signal});
    const facts: Record<string, string> = {path};
    if (configured !== '' && opts.settingKey) facts.via = opts.settingKey;
    if (v.version !== undefined) facts.version = v.version;
    if (v.error !== undefined) facts.version_error = v.error;
    return {harnesses: [opts.harness], facts: {[opts.harness]: facts}};
  },
});
