import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SPOR_BIN = join(ROOT, 'dist', 'spor.js');

/**
 * One V8 code cache for every CLI test, as one user's machine has, rather than one per temporary
 * HOME: each fresh HOME made every spor process compile the bundle, and write a cache afterwards
 * that could land while the test was already removing the directory.
 */
export const CODE_CACHE = join(ROOT, 'node_modules', '.cache', 'spor-test');

export interface RunOpts {
  home: string;
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeout?: number;
}

/** The environment a CLI test gives spor: built from nothing, so output is stable between runs. */
export const sporEnv = (home: string, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  XDG_CACHE_HOME: CODE_CACHE,
  SPOR_HOME: join(home, '.spor'),
  NO_COLOR: '1',
  TZ: 'UTC',
  LANG: 'C.UTF-8',
  ...extra,
});

/** Runs the built `spor` binary as a user would, never rejecting: assert on exitCode/stdout/stderr. */
export const runSpor = (args: Array<string>, opts: RunOpts): ResultPromise<{reject: false; extendEnv: false}> =>
  execa(process.execPath, [SPOR_BIN, ...args], {
    cwd: opts.cwd ?? opts.home,
    input: opts.input ?? '',
    reject: false,
    extendEnv: false,
    timeout: opts.timeout ?? 60_000,
    env: sporEnv(opts.home, opts.env),
  }) as ResultPromise<{reject: false; extendEnv: false}>;
