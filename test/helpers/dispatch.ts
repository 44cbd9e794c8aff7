import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {alive, until} from './processes.js';
import {type LoggedEvent, readLog} from './readLog.js';
import {ROOT, runSpor} from './runSpor.js';
import {tempDir, tempHome} from './tempHome.js';

/** Stub agent CLIs (claude, codex) that record what they receive: test/fixtures/bin/agents. */
export const AGENTS = join(ROOT, 'test', 'fixtures', 'bin', 'agents');

/**
 * What lets the stubs' own switches (STUB_RECORD, STUB_MODE, …) through the harness environment
 * filter, as a user would let a variable through: `dispatch.envPassthrough`.
 */
export const STUB_PASSTHROUGH = {SPOR_DISPATCH_ENVPASSTHROUGH: 'STUB_*'};

/** PATH with the stub agents first. */
export const stubPath = (): string => `${AGENTS}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;

/**
 * A fresh machine (HOME, SPOR_HOME) whose harnesses are the stubs, recording what they receive
 * into `rec`, with `more` in spor's environment; `spor` runs the built binary there.
 */
export const stubMachine = (more: Record<string, string> = {}) => {
  const {home, sporHome} = tempHome();
  const rec = join(tempDir('spor-rec-'), 'rec');
  const env: Record<string, string> = {PATH: stubPath(), STUB_RECORD: rec, ...STUB_PASSTHROUGH, ...more};
  const spor = (args: Array<string>, extra: Record<string, string> = {}, at: {cwd?: string; input?: string} = {}) =>
    runSpor(args, {home, env: {...env, ...extra}, ...at});
  return {home, sporHome, rec, env, spor};
};

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

/** A run as `spor runs <id> --json` prints it (snake_case, like every `--json` output). */
export interface RunJson {
  run_id: string;
  state: string;
  class?: string;
  signal?: string;
  reason?: string;
  session_id?: string;
  node?: string;
  harness_pid?: number;
  supervisor_pid?: number;
}

/**
 * Waits until the log holds the run's `run-ended` and its supervisor has exited (it still runs the
 * hooks of `run-ended` and records them), then returns the run as `spor runs <id> --json` shows it.
 * Reads the log file rather than starting a `spor runs` process per look. Bounded by `timeoutMs`.
 */
export const waitForEnd = async (
  home: string,
  runId: string,
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<RunJson> => {
  const deadline = Date.now() + timeoutMs;
  const ofRun = (e: LoggedEvent): boolean => e.data.run_id === runId;
  let supervisor: number | undefined;
  await until(() => {
    const log = readLog(home).filter(ofRun);
    const started = log.find((e) => e.type === 'run-state-changed' && e.data.supervisor_pid !== undefined);
    supervisor = started?.data.supervisor_pid as number | undefined;
    return log.some((e) => e.type === 'run-ended');
  }, timeoutMs);
  if (supervisor !== undefined) await until(() => !alive(supervisor as number), deadline - Date.now());
  const r = await runSpor(['runs', runId, '--json'], {home, env});
  return JSON.parse(r.stdout || '{}') as RunJson;
};

/** The run id `spor dispatch` printed. */
export const runIdOf = (stdout: string): string =>
  /started run (\S+):/.exec(stdout)?.[1] ?? /"run_id": "([^"]+)"/.exec(stdout)?.[1] ?? '';
