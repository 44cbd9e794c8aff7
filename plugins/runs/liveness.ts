import {readdirSync, readFileSync} from 'node:fs';

/**
 * Is `pid` still the supervisor of `runId`? On Linux its command line must name the run, so a pid
 * the kernel handed to another process is not mistaken for it. Elsewhere only existence can be
 * checked.
 */
export const isSupervisorAlive = (pid: number | undefined, runId: string): boolean => {
  if (pid === undefined || pid <= 0) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    return cmdline.split('\0').includes(runId);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// The process group of a /proc/<pid>/stat line: the fifth field, counted after the command's `)`.
const pgrpOf = (stat: string): number => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);

const carriesRun = (pid: string, runId: string): boolean => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`SPOR_RUN_ID=${runId}`);
  } catch {
    return false;
  }
};

/**
 * Is anything of the harness `runId` started (the process group `pgid` it leads) still alive? On
 * Linux a member must carry `SPOR_RUN_ID=<runId>` in its environment (the supervisor puts it
 * there), so a group id the kernel reused for something else is never taken for the run's; a zombie
 * (no environment left) counts as gone. Elsewhere only the group's existence can be checked.
 */
export const isHarnessAlive = (pgid: number | undefined, runId: string): boolean => {
  if (pgid === undefined || pgid <= 0) return false;
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  let pids: Array<string>;
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    try {
      return pgrpOf(readFileSync(`/proc/${pid}/stat`, 'latin1')) === pgid && carriesRun(pid, runId);
    } catch {
      return false;
    }
  });
};

const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* gone, or not ours to signal: the liveness check says which */
  }
};

const until = async (gone: () => boolean, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (!gone()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
};

/**
 * Ends what is left of an orphaned harness (its supervisor died): SIGTERM to its group, SIGKILL
 * after `graceMs`; true once nothing of it is alive, false when it could not be ended (another
 * user's process: the run then stays in flight).
 */
export const endHarness = async (pgid: number, runId: string, graceMs = 3000): Promise<boolean> => {
  const gone = (): boolean => !isHarnessAlive(pgid, runId);
  if (gone()) return true;
  signalGroup(pgid, 'SIGTERM');
  if (await until(gone, graceMs)) return true;
  signalGroup(pgid, 'SIGKILL');
  return until(gone, 2000);
};
