import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';

export interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines (stream-json / --json events); other lines are skipped. */
  events: Array<Record<string, unknown>>;
  /** The hard timeout fired and the process group was killed. */
  killed: boolean;
  /** Processes of the run's group were still alive after its leader exited (they were killed). */
  leftovers: boolean;
  ms: number;
}

export interface CliOpts {
  cwd: string;
  /** The whole environment: nothing is inherited. */
  env: Record<string, string>;
  /** Written to stdin, which is then closed (both CLIs read the prompt there). */
  input?: string;
  /** Hard bound: the process group gets SIGKILL. codex never gives up on an unreachable model. */
  timeoutMs?: number;
}

/**
 * Whether a live process is left in the group. On Linux, /proc tells zombies apart (an exited
 * grandchild waits there for a container's init to reap it, which some never do).
 */
const groupAlive = (pgid: number): boolean => {
  if (existsSync('/proc/self/stat')) {
    return readdirSync('/proc').some((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        // fields after the parenthesised command: state, ppid, pgrp
        const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ');
        return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
      } catch {
        return false;
      }
    });
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const killGroup = (pgid: number): void => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
};

const eventsOf = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

/**
 * Runs a real agent CLI in its own process group, without a shell, and always returns: at the
 * timeout the whole group is killed. Never rejects; assert on the result.
 */
export const runCli = (file: string, args: ReadonlyArray<string>, opts: CliOpts): Promise<CliRun> =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(file, args, {cwd: opts.cwd, env: opts.env, detached: true, stdio: ['pipe', 'pipe', 'pipe']});
    const out: Array<Buffer> = [];
    const err: Array<Buffer> = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {
      /* the CLI may exit before reading its prompt */
    });
    child.stdin.end(opts.input ?? '');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      if (child.pid) killGroup(child.pid);
    }, opts.timeoutMs ?? 30_000);
    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const pgid = child.pid ?? 0;
      const leftovers = pgid > 0 && groupAlive(pgid);
      if (leftovers) killGroup(pgid);
      const stdout = Buffer.concat(out).toString('utf8');
      resolve({
        exitCode,
        signal,
        stdout,
        stderr: Buffer.concat(err).toString('utf8'),
        events: eventsOf(stdout),
        killed,
        leftovers,
        ms: Date.now() - started,
      });
    };
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
      finish(null, null);
    });
    // 'close', not 'exit': the output pipes are drained by then
    child.on('close', finish);
  });
