import {readdirSync, readFileSync} from 'node:fs';

// Running, as opposed to gone or a zombie: a detached supervisor is re-parented to PID 1, which in
// a container may reap it late or never.
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Resolves once `done()` holds, checking every 20 ms; false if `timeoutMs` passes first. */
export const until = async (done: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, 20));
  }
  return true;
};

/**
 * Pids of live processes whose environment holds `name=value` (Linux /proc): whatever a command
 * run with that environment started and left behind (a supervisor, a harness).
 */
export const runningWith = (name: string, value: string): Array<number> => {
  const entry = `${name}=${value}`;
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number)
    .filter(alive);
};

/**
 * Waits (bounded) for every process whose environment holds `name=value` to end, such as a
 * supervisor that a refused dispatch told to stand down; returns those still running.
 */
export const waitForNoneWith = async (name: string, value: string, timeoutMs = 15_000): Promise<Array<number>> => {
  let left: Array<number> = [];
  await until(() => (left = runningWith(name, value)).length === 0, timeoutMs);
  return left;
};

/** Kills (SIGKILL) every process whose environment holds `name=value`. */
export const killAllWith = (name: string, value: string): void => {
  for (const pid of runningWith(name, value)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
};
