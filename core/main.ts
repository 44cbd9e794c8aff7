import {boot} from './bootstrap.js';
import {builtinPlugins} from './builtins.js';
import {runCli} from './cli.js';
import {report} from './errors.js';
import {version} from './version.js';

// process.stdin builds a socket or tty stream when first touched; most commands never read it.
const lazyStdin = (): NodeJS.ReadStream => new Proxy({} as NodeJS.ReadStream, {
  get: (_target, key) => {
    const value: unknown = Reflect.get(process.stdin, key);
    return typeof value === 'function' ? (value as (...a: Array<unknown>) => unknown).bind(process.stdin) : value;
  },
});

// `spor … | head` closes the pipe early: stop quietly, as Unix tools do, rather than crash on EPIPE.
const quietOnClosedPipe = (stream: NodeJS.WriteStream): void => {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
};

const main = async (): Promise<number> => {
  quietOnClosedPipe(process.stdout);
  const io = {stdin: lazyStdin(), stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd()};
  try {
    const {container, registry} = await boot({env: io.env, cwd: io.cwd, stderr: io.stderr, builtins: builtinPlugins()});
    return await runCli(process.argv.slice(2), io, container, registry, version);
  } catch (e) {
    return report(io.stderr, e, io.env);
  }
};

void main().then((code) => { process.exitCode = code; });
