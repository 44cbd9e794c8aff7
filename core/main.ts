import {boot} from './bootstrap.js';
import {builtinPlugins} from './builtins.js';
import {runCli} from './cli.js';
import {report} from './errors.js';
import {syncOutput} from './syncOutput.js';
import {version} from './version.js';

// process.stdin builds a socket or tty stream when first touched; most commands never read it.
const lazyStdin = (): NodeJS.ReadStream =>
  new Proxy({} as NodeJS.ReadStream, {
    get: (_target, key) => {
      const value: unknown = Reflect.get(process.stdin, key);
      return typeof value === 'function' ? (value as (...a: Array<unknown>) => unknown).bind(process.stdin) : value;
    },
  });

const main = async (): Promise<number> => {
  const io = {
    stdin: lazyStdin(),
    stdout: syncOutput(1, () => process.stdout),
    stderr: syncOutput(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
  };
  try {
    const {container, registry} = await boot({env: io.env, cwd: io.cwd, stderr: io.stderr, builtins: builtinPlugins()});
    return await runCli(process.argv.slice(2), io, container, registry, version);
  } catch (e) {
    return report(io.stderr, e, io.env);
  }
};

// The launcher (dist/spor.js) ends the process as soon as the command is done; see there.
void main().then((code) => {
  process.exitCode = code;
  (globalThis as {__sporExit?: (code: number) => void}).__sporExit?.(code);
});
