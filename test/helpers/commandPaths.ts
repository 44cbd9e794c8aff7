import {createRequire} from 'node:module';
import {Writable, PassThrough} from 'node:stream';
import type {boot as bootFn} from '../../core/bootstrap.js';
import type {builtinPlugins as builtinsFn} from '../../core/builtins.js';
import type {runCli as runCliFn} from '../../core/cli.js';

interface CoreBundle {
  boot: typeof bootFn;
  builtinPlugins: typeof builtinsFn;
  runCli: typeof runCliFn;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/**
 * The built bundle (dist/core.js, the code the binary runs) booted once in this process: every
 * command path it registers, so a test over "every command" never lists them by hand, and a way to
 * run one command line against it without spawning a process per call.
 */
export const bootBuiltCli = async (env: Record<string, string>) => {
  const core = createRequire(import.meta.url)('../../dist/core.js') as CoreBundle;
  const stderr = new Capture();
  const {container, registry} = await core.boot({
    env,
    cwd: env.HOME ?? '/',
    stderr,
    builtins: core.builtinPlugins(),
    userPlugins: false,
  });
  const paths = [...registry.commands.keys()].map((p) => p.split(' ')).filter((p) => p[0] !== '');
  const run = async (argv: Array<string>) => {
    const out = new Capture();
    const err = new Capture();
    const exitCode = await core.runCli(
      argv,
      {stdin: new PassThrough(), stdout: out, stderr: err, env, cwd: env.HOME ?? '/'},
      container,
      registry,
      '0.0.0',
    );
    return {exitCode, stdout: out.text, stderr: err.text};
  };
  return {paths, run};
};
