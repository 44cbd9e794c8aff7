import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {ROOT, runSpor} from './runSpor.js';
import {tempDir} from './tempHome.js';

/** Stub agent CLIs (claude, codex) that record what they receive: test/fixtures/bin/agents. */
export const AGENTS = join(ROOT, 'test', 'fixtures', 'bin', 'agents');

/**
 * What lets the stubs' own switches (STUB_RECORD, STUB_MODE, …) through the harness environment
 * filter, as a user would let a variable through: `dispatch.envPassthrough`.
 */
export const STUB_PASSTHROUGH = {SPOR_DISPATCH_ENVPASSTHROUGH: 'STUB_*'};

/** PATH with the stub agents first. */
export const stubPath = (): string => `${AGENTS}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;

const git = (cwd: string, ...args: Array<string>): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });

/** A real git repository with one commit (and an `origin` named `name` when given). */
export const gitRepo = (name?: string): string => {
  const dir = tempDir('spor-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'init');
  if (name) git(dir, 'remote', 'add', 'origin', `git@example.com:acme/${name}.git`);
  return dir;
};

export interface Received {
  argv: Array<string>;
  cwd: string;
  stdin: string;
  env: Record<string, string>;
}

/** What each stub run received, oldest first (files `<prefix>.<pid>.json`). */
export const received = (prefix: string): Array<Received> => {
  const dir = join(prefix, '..');
  const base = prefix.split('/').pop() as string;
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.`) && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Received);
};

export interface RunJson {
  runId: string;
  state: string;
  class?: string;
  signal?: string;
  reason?: string;
  sessionId?: string;
  nodeId?: string;
  harnessPid?: number;
  supervisorPid?: number;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Polls `spor runs` until the run has ended and its supervisor has exited (bounded: it still runs
 * the hooks of `run-ended` and records them); returns the run's record.
 */
export const waitForEnd = async (
  home: string,
  runId: string,
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<RunJson> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runSpor(['runs', runId, '--json'], {home, env});
    const run = JSON.parse(r.stdout || '{}') as RunJson;
    const ended = ['done', 'failed', 'vanished', 'failed_launch'].includes(run.state);
    if ((ended && (run.supervisorPid === undefined || !alive(run.supervisorPid))) || Date.now() > deadline) return run;
    await new Promise((res) => setTimeout(res, ended ? 20 : 100));
  }
};

/** The run id `spor dispatch` printed. */
export const runIdOf = (stdout: string): string =>
  /started run (\S+):/.exec(stdout)?.[1] ?? /"run_id": "([^"]+)"/.exec(stdout)?.[1] ?? '';
