import {readFileSync} from 'node:fs';

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
