import {unlinkSync} from 'node:fs';
import type {Server} from 'node:net';
import {nodeCrypto, nodeNet} from './builtinModules.js';
import {join} from 'node:path';
import {StoreError} from './errors.js';

/** A held inter-process lock. */
export interface LockHandle {
  release(): void;
}

// The lock is a listening Unix socket. On Linux it lives in the abstract namespace: the kernel
// drops the name the moment its holder exits, even under SIGKILL, so a dead writer never leaves a
// stale lock behind and no waiter has to guess from pids or mtimes. Elsewhere a socket file in
// SPOR_HOME is used, with a connect probe to clear one left by a dead process.
const addresses = new Map<string, string>();
const lockAddress = (home: string): string => {
  let address = addresses.get(home);
  if (address === undefined) {
    address =
      process.platform === 'linux'
        ? `\0spor-log-${nodeCrypto().createHash('sha256').update(home).digest('hex').slice(0, 32)}`
        : join(home, 'events.lock.sock');
    addresses.set(home, address);
  }
  return address;
};

const listen = (address: string): Promise<Server | undefined> =>
  new Promise((resolvePromise, reject) => {
    const server = nodeNet().createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EADDRINUSE' ? resolvePromise(undefined) : reject(e),
    );
    server.listen(address, () => resolvePromise(server));
  });

const isStaleSocketFile = (address: string): Promise<boolean> =>
  new Promise((res) => {
    const s = nodeNet().connect(address);
    s.once('connect', () => {
      s.destroy();
      res(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => res(e.code === 'ECONNREFUSED' || e.code === 'ENOENT'));
  });

const handleFor = (server: Server): LockHandle => {
  let released = false;
  return {
    release: () => {
      if (!released) {
        released = true;
        server.close();
      }
    },
  };
};

/**
 * Does now what the first lock taken for `home` would otherwise do then (name it, load the socket
 * code), for a process that waits before its first write and wants that write to be quick.
 */
export const prepareLock = (home: string): void => {
  lockAddress(home);
  nodeNet();
};

/** Takes the lock if it is free right now; undefined when another process holds it. */
export const tryLock = async (home: string): Promise<LockHandle | undefined> => {
  const address = lockAddress(home);
  const server = await listen(address);
  if (server) return handleFor(server);
  if (!address.startsWith('\0') && (await isStaleSocketFile(address))) {
    try {
      unlinkSync(address);
    } catch {
      /* another waiter cleared it */
    }
    const retry = await listen(address);
    return retry && handleFor(retry);
  }
  return undefined;
};

/** Waits for the lock (polling with jittered backoff) up to `timeoutMs`. */
export const acquireLock = async (home: string, timeoutMs = 30_000): Promise<LockHandle> => {
  const deadline = Date.now() + timeoutMs;
  let pause = 1;
  for (;;) {
    const handle = await tryLock(home);
    if (handle) return handle;
    if (Date.now() > deadline) {
      throw new StoreError(
        `another spor process has held the event log lock for over ${Math.round(timeoutMs / 1000)}s`,
        {
          code: 'E_LOCK_TIMEOUT',
          hint: 'wait for it to finish, or find it with `ps -ef | grep spor`',
        },
      );
    }
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 20);
  }
};
