import {closeSync, constants, openSync, statSync, unlinkSync} from 'node:fs';
import type {Server} from 'node:net';
import {nodeNet} from './builtinModules.js';
import {join} from 'node:path';
import {StoreError} from './errors.js';

/** A held inter-process lock. */
export interface LockHandle {
  release(): void;
  /** False once this holder's socket is no longer the lock's (see `stillHeld` in tryLock). */
  stillHeld(): boolean;
  /** Whether another process (or another caller) has asked for the lock since it was taken. */
  contended(): boolean;
}

// The lock is a listening Unix socket *inside the locked directory* (`<dir>/events.lock.sock`):
// bind() on an existing name fails, so exactly one process can listen there. Because the name is
// in the directory itself, every spelling of it (a symlink, a bind mount) and every network
// namespace (a container or sandbox that mounts SPOR_HOME) meets the same lock; and only someone
// who may write into the directory (SPOR_HOME is 0700) can take it. An abstract socket, used
// before, was named from the path string in the namespace's table, and missed all three.
//
// A holder killed with SIGKILL leaves the socket file behind, refusing connections; a waiter that
// finds it so clears it (clearDead). A holder checks that the name still leads to its own socket
// before it writes (`stillHeld`), and the store re-checks under the lock that the log ends where
// it expects, so even a lost race costs a retry rather than a duplicated seq.
const SOCKET = 'events.lock.sock';
// sun_path holds 108 bytes on Linux (104 on macOS): a longer directory is reached through its fd.
const MAX_SOCKET_PATH = 100;

interface Address {
  path: string;
  /** An open fd of the directory when `path` goes through /proc/self/fd (closed on release). */
  dirFd?: number;
}

const addressOf = (dir: string): Address => {
  const path = join(dir, SOCKET);
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH || process.platform !== 'linux') return {path};
  const dirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  return {path: `/proc/self/fd/${dirFd}/${SOCKET}`, dirFd};
};

const closeAddress = (a: Address): void => {
  if (a.dirFd !== undefined) closeSync(a.dirFd);
};

const listen = (path: string): Promise<Server | undefined> =>
  new Promise((resolvePromise, reject) => {
    const server = nodeNet().createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EADDRINUSE' ? resolvePromise(undefined) : reject(lockError(e, path)),
    );
    // A connecting waiter only probes for life: drop it at once.
    server.on('connection', (s) => s.destroy());
    server.listen(path, () => resolvePromise(server));
  });

const lockError = (e: NodeJS.ErrnoException, path: string): Error =>
  new StoreError(`cannot take the event log lock at ${path}: ${e.code ?? e.message}`, {
    code: e.code === 'ENOENT' ? 'E_LOCK_NODIR' : 'E_LOCK',
    hint:
      e.code === 'ENOENT'
        ? 'its directory is missing; run the command again'
        : 'SPOR_HOME must be on a local file system that allows Unix sockets; set SPOR_HOME to one',
  });

/** Resolves whether something listens at `path` ('dead': a socket file nobody holds; 'gone': no file). */
const probe = (path: string): Promise<'alive' | 'dead' | 'gone'> =>
  new Promise((res) => {
    const s = nodeNet().connect(path);
    s.once('connect', () => {
      s.destroy();
      res('alive');
    });
    // Only a refusal means nobody listens: a full backlog (EAGAIN) is a busy holder, not a dead one.
    s.once('error', (e: NodeJS.ErrnoException) =>
      res(e.code === 'ENOENT' ? 'gone' : e.code === 'ECONNREFUSED' ? 'dead' : 'alive'),
    );
  });

const inodeOf = (path: string): bigint | undefined => {
  try {
    return statSync(path, {bigint: true}).ino;
  } catch {
    return undefined;
  }
};

// Clears a socket left by a dead holder, never a live one. The probe and the removal happen under
// a second lock (`<socket>.clear`), so no two waiters clear at once: the name cannot change between
// this waiter finding it dead and removing it (only its live holder, or a clearer, removes it, and
// a name that exists cannot be bound anew). A clearer killed in that instant leaves the guard
// behind; one older than GUARD_STALE_MS that nobody answers on is removed.
const GUARD_STALE_MS = 10_000;
const FRESH_MS = 500;
const bornAt = (path: string): number | undefined => {
  try {
    return statSync(path).ctimeMs;
  } catch {
    return undefined;
  }
};
const clearDead = async (address: Address): Promise<void> => {
  const guard = `${address.path}.clear`;
  const server = await listen(guard);
  if (!server) {
    const born = bornAt(guard);
    if (born !== undefined && Date.now() - born > GUARD_STALE_MS && (await probe(guard)) === 'dead')
      removeQuietly(guard);
    return;
  }
  try {
    // A holder binds its name a moment before it listens, and refuses connections in between: a
    // socket younger than FRESH_MS is taken for a holder getting ready, never for a dead one.
    const born = bornAt(address.path);
    if (born !== undefined && Date.now() - born > FRESH_MS && (await probe(address.path)) === 'dead')
      removeQuietly(address.path);
  } finally {
    server.close(); // removes the guard's name (libuv)
  }
};

const removeQuietly = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
};

const handleFor = (server: Server, address: Address): LockHandle => {
  const mine = inodeOf(address.path);
  let released = false;
  // Every attempt to take a held lock probes it (a connection): a holder that keeps the lock for a
  // while (the team server between its writes) lets go when someone asks.
  let asked = false;
  server.on('connection', () => (asked = true));
  const stillHeld = (): boolean => !released && mine !== undefined && inodeOf(address.path) === mine;
  return {
    stillHeld,
    contended: () => asked,
    release: () => {
      if (released) return;
      released = true;
      // libuv removes the socket's name as it closes it, and before it stops listening, so no
      // waiter can take it for dead meanwhile. (Removing it here as well would remove the next
      // holder's.)
      server.close();
      closeAddress(address);
    },
  };
};

/**
 * Does now what the first lock taken would otherwise do then (load the socket code), for a process
 * that waits before its first write and wants that write to be quick.
 */
export const prepareLock = (_dir: string): void => {
  nodeNet();
};

/** Takes the lock on `dir` (which must exist) if it is free right now; undefined when another process holds it. */
export const tryLock = async (dir: string): Promise<LockHandle | undefined> => {
  const address = addressOf(dir);
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const server = await listen(address.path);
      if (server) return handleFor(server, address);
      const state = await probe(address.path);
      if (state === 'alive') break;
      if (state === 'dead') await clearDead(address);
    }
  } catch (e) {
    closeAddress(address);
    throw e;
  }
  closeAddress(address);
  return undefined;
};

/** Waits for the lock on `dir` (polling with jittered backoff) up to `timeoutMs`. */
export const acquireLock = async (dir: string, timeoutMs = 30_000): Promise<LockHandle> => {
  const deadline = Date.now() + timeoutMs;
  let pause = 1;
  for (;;) {
    const handle = await tryLock(dir);
    if (handle) return handle;
    if (Date.now() > deadline) {
      throw new StoreError(
        `another spor process has held the lock in ${dir} for over ${Math.round(timeoutMs / 1000)}s`,
        {
          code: 'E_LOCK_TIMEOUT',
          hint: `wait for it to finish, or find it with \`ss -xlp | grep ${join(dir, SOCKET)}\``,
        },
      );
    }
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 20);
  }
};
