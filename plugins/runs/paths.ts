import {readFileSync} from 'node:fs';
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
    /** The run's git hooks (core.hooksPath for the harness): the commit trailers, then the repository's own. */
    gitHooks: join(dir, 'git-hooks'),
    /** `{supervisor, harness?}`: written by the supervisor as it starts and as the harness starts. */
    pids: join(dir, 'pids.json'),
  };
};

/** The pids a supervisor wrote for its run: what the reconciler goes by while the log has none yet. */
export const readPids = (file: string): {supervisor?: number; harness?: number} => {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as {supervisor?: unknown; harness?: unknown};
    return {
      ...(typeof v.supervisor === 'number' ? {supervisor: v.supervisor} : {}),
      ...(typeof v.harness === 'number' ? {harness: v.harness} : {}),
    };
  } catch {
    return {};
  }
};

/** Run ids sort by start time: `20261124-143012-a3f9`. */
export const newRunId = (now: Date, random: () => number = Math.random): string => {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
};
