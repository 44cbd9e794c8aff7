import {join} from 'node:path';

/** The file `spor runs stop` leaves so the supervisor knows the exit it sees was asked for. */
export const STOP_MARKER = 'stop-requested';

/** Where one run keeps its files (private to the user). */
export const runFiles = (runsDir: string, runId: string) => {
  const dir = join(runsDir, runId);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    prompt: join(dir, 'prompt'),
    output: join(dir, 'output.log'),
    report: join(dir, 'report'),
    supervisorLog: join(dir, 'supervisor.log'),
    stop: join(dir, STOP_MARKER),
  };
};

/** Run ids sort by start time: `20261124-143012-a3f9`. */
export const newRunId = (now: Date, random: () => number = Math.random): string => {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
};
