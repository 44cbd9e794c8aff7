import {join} from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {boot, type Booted} from '../../core/bootstrap.js';
import {builtinPlugins, type BuiltinPlugin} from '../../core/builtins.js';
import {runCli} from '../../core/cli.js';
import type {Clock, IdSource} from '../../core/clock.js';
import {readLog} from './readLog.js';

/** Collects what a stream was given. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface InProcessOpts {
  home: string;
  cwd?: string;
  env?: Record<string, string>;
  clock?: Clock;
  ids?: IdSource;
  builtins?: ReadonlyArray<BuiltinPlugin>;
  /** Called once booted, before the command runs (a test wraps a service to count its use). */
  prepare?: (booted: Booted) => void;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  booted: Booted;
}

/** Boots spor in this process (real store in a temp SPOR_HOME) and runs one command line. */
export const runInProcess = async (args: Array<string>, opts: InProcessOpts): Promise<InProcessResult> => {
  const env = {
    HOME: opts.home,
    SPOR_HOME: join(opts.home, '.spor'),
    PATH: process.env.PATH ?? '',
    TZ: 'UTC',
    ...opts.env,
  };
  const stdout = new Capture();
  const stderr = new Capture();
  const cwd = opts.cwd ?? opts.home;
  const booted = await boot({
    env,
    cwd,
    stderr,
    builtins: opts.builtins ?? builtinPlugins(),
    clock: opts.clock,
    ids: opts.ids,
  });
  opts.prepare?.(booted);
  const code = await runCli(
    args,
    {stdin: new PassThrough(), stdout, stderr, env, cwd},
    booted.container,
    booted.registry,
    '0.0.0-test',
  );
  return {code, stdout: stdout.text, stderr: stderr.text, booted};
};

export {readLog};
