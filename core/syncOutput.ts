import {writeSync} from 'node:fs';

// Writing to fd 1/2 directly spares every command Node's stream machinery (several ms of module
// initialisation per process, see bench/startup.mjs). On Linux process.stdout is synchronous for
// files, pipes and terminals alike, so mixing the two keeps the order of output.
const writeAll = (fd: number, text: string | Uint8Array): void => {
  let buf = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking pipe handed to us by the parent: wait for the reader.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      throw e;
    }
  }
};

/** `spor … | head` closed the pipe: stop quietly, as Unix tools do, rather than crash on EPIPE. */
const exitOnClosedPipe = (e: unknown): never | void => {
  if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
};

/**
 * A stand-in for process.stdout/stderr whose `write` goes straight to the file descriptor. Any
 * other use (events, piping into it) gets the real stream, created on first such use.
 */
export const syncOutput = (fd: 1 | 2, stream: () => NodeJS.WriteStream): NodeJS.WriteStream => {
  let real: NodeJS.WriteStream | undefined;
  const realStream = (): NodeJS.WriteStream => {
    if (!real) {
      real = stream();
      real.on('error', exitOnClosedPipe);
    }
    return real;
  };
  const write = (chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown): boolean => {
    try {
      writeAll(fd, chunk);
    } catch (e) {
      exitOnClosedPipe(e);
    }
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  return new Proxy({} as NodeJS.WriteStream, {
    get: (_t, key) => {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(realStream(), key);
      return typeof value === 'function' ? (value as (...a: Array<unknown>) => unknown).bind(realStream()) : value;
    },
  });
};
