import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, runIdOf, STUB_PASSTHROUGH, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {alive} from '../helpers/processes.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

/** Dispatches free text with the stub in `mode` (after setting `settings`) and waits for the run to end. */
const dispatched = async (mode: string, extra: Record<string, string> = {}, settings: Record<string, string> = {}) => {
  const {home} = tempHome();
  for (const [k, v] of Object.entries(settings)) await runSpor(['config', 'set', k, v], {home});
  const env = {PATH: stubPath(), STUB_MODE: mode, ...STUB_PASSTHROUGH, ...extra};
  const r = await runSpor(['dispatch', `stub in ${mode} mode`, '--dir', gitRepo()], {home, env});
  return {home, env, r, runId: runIdOf(r.stdout)};
};

describe('runs end in the right state with a reason, and the supervisor never hangs', () => {
  it('a harness that exits at once with an error: failed, with its exit code', async () => {
    const {home, env, runId} = await dispatched('exit-at-once');
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'failed',
      class: 'failed',
      signal: 'exit 3',
      reason: 'the harness exited 3',
    });
  });

  it('a harness that prints garbage and exits 0: done, noting no session id was seen', async () => {
    const {home, env, runId} = await dispatched('garbage');
    const run = await waitForEnd(home, runId, env);
    expect(run).toMatchObject({state: 'done', class: 'completed'});
    expect(run.reason).toContain('(no session id seen)');
    expect(run.session_id).toBeUndefined();
  });

  it('a result without a session id still ends done, with the report kept', async () => {
    const {home, env, runId} = await dispatched('no-session');
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'done',
      class: 'completed',
      reason: 'the agent reported success (no session id seen)',
    });
    expect(readLog(home).at(-1)?.data).toMatchObject({has_report: true});
  });

  it('out of credit: failed/environment, worth re-dispatching later', async () => {
    const {home, env, runId} = await dispatched('credit');
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'failed',
      class: 'environment',
      signal: 'credit',
      session_id: 'sess-c',
    });
  });

  it('refused edits are not a clean done: failed/permission-denied, the count and tools in run-ended and in `spor runs`', async () => {
    const {home, env, runId} = await dispatched('denied');
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'failed',
      class: 'permission-denied',
      signal: 'denied',
      reason: "the harness refused 3 tool calls (Write, Edit): the agent's work is incomplete",
    });
    const ended = readLog(home).find((e) => e.type === 'run-ended');
    expect(ended?.data).toMatchObject({exit_code: 0, denied: 3, denied_tools: ['Write', 'Edit'], has_report: true});
    const list = await runSpor(['runs'], {home, env});
    expect(list.stdout).toMatch(new RegExp(`${runId}\\s+failed/permission-denied`));
  });

  it('no output for runs.stallTimeout: the supervisor stops the harness; failed/stalled', async () => {
    const {home, env, runId} = await dispatched('silent', {}, {'runs.stallTimeout': '1s'});
    const run = await waitForEnd(home, runId, env);
    expect(run).toMatchObject({
      state: 'failed',
      class: 'stalled',
      signal: 'stalled',
      reason: 'no output for 1s (runs.stallTimeout); the harness was stopped',
    });
    expect(alive(run.harness_pid as number)).toBe(false);
  });

  it('a harness that only retries an unreachable model is stopped at runs.stallTimeout: failed/model-unreachable', async () => {
    const {home, env, runId} = await dispatched('retrying', {}, {'runs.stallTimeout': '1s'});
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'failed',
      class: 'model-unreachable',
      signal: 'unreachable',
    });
  });

  it('past runs.timeout however busy it is: failed/timeout', async () => {
    const {home, env, runId} = await dispatched('chatty', {}, {'runs.timeout': '1500ms'});
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'failed',
      class: 'timeout',
      reason: 'the run passed runs.timeout (1500ms) and was stopped',
    });
  });

  it('a harness killed from outside: failed, naming the signal', async () => {
    const {home, env, runId} = await dispatched('hang');
    const running = JSON.parse((await runSpor(['runs', runId, '--json'], {home, env})).stdout) as {harness_pid: number};
    process.kill(running.harness_pid, 'SIGKILL');
    expect(await waitForEnd(home, runId, env)).toMatchObject({state: 'failed', class: 'failed', signal: 'SIGKILL'});
  });

  it('a harness that exits before the supervisor has recorded its start still ends the run (the supervisor never hangs)', async () => {
    const quick = join(tempDir(), 'claude');
    writeFileSync(quick, '#!/bin/sh\nexit 5\n');
    chmodSync(quick, 0o755);
    const {home} = tempHome();
    await runSpor(['config', 'set', 'harness.claude-code.binary', quick], {home});
    for (let i = 0; i < 3; i += 1) {
      const r = await runSpor(['dispatch', `quick ${i}`, '--dir', gitRepo()], {home, env: {PATH: stubPath()}});
      expect(r.exitCode).toBe(0);
      expect(await waitForEnd(home, runIdOf(r.stdout), {PATH: stubPath()})).toMatchObject({
        state: 'failed',
        signal: 'exit 5',
      });
    }
  });

  it('a binary that cannot be executed: failed_launch, reported by dispatch with exit 1', async () => {
    const notExec = join(tempDir(), 'claude');
    writeFileSync(notExec, 'not a program');
    chmodSync(notExec, 0o644);
    const {home} = tempHome();
    await runSpor(['config', 'set', 'harness.claude-code.binary', notExec], {home});
    const r = await runSpor(['dispatch', 'x', '--dir', gitRepo()], {home, env: {PATH: stubPath()}});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/did not start: could not start .*claude: EACCES/);
    expect(readLog(home).at(-1)?.data).toMatchObject({state: 'failed_launch', class: 'launch', signal: 'EACCES'});
  });
});

/** Polls `spor runs <id> --json` until the run is `running` (the harness started, its pid recorded). */
const waitForRunning = async (home: string, runId: string, env: Record<string, string>) => {
  for (;;) {
    const run = JSON.parse((await runSpor(['runs', runId, '--json'], {home, env})).stdout) as {
      state: string;
      harness_pid?: number;
      supervisor_pid?: number;
    };
    if (run.state === 'running' && run.harness_pid && run.supervisor_pid) return run;
    if (run.state !== 'launching') throw new Error(`run ${runId} is ${run.state}, not running`);
  }
};

// Gone: no such process, or a zombie nobody reaped yet (it runs nothing).
const gone = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.startsWith('Z') === true;
  } catch {
    return !alive(pid);
  }
};

/** Waits for the SIGKILLed process to be gone (its exit is an event the kernel reports at once). */
const killed = async (pid: number): Promise<void> => {
  process.kill(pid, 'SIGKILL');
  while (!gone(pid)) await new Promise((r) => setImmediate(r));
};

describe('no orphans: a supervisor killed with SIGKILL', () => {
  it('the next read ends its harness (the whole group) and records failed/supervisor-gone', async () => {
    const {home, env, runId} = await dispatched('family');
    const running = await waitForRunning(home, runId, env);
    const output = join(home, '.spor', 'runs', runId, 'output.log');
    let child: string | undefined;
    while (child === undefined) {
      child = existsSync(output) ? /"stub-child","pid":(\d+)/.exec(readFileSync(output, 'utf8'))?.[1] : undefined;
      await new Promise((r) => setImmediate(r));
    }
    await killed(running.supervisor_pid as number);
    expect(alive(running.harness_pid as number) && alive(Number(child))).toBe(true);

    const r = await runSpor(['runs', runId, '--json'], {home, env});
    expect(JSON.parse(r.stdout)).toMatchObject({state: 'failed', class: 'supervisor-gone', signal: 'supervisor-gone'});
    expect(gone(running.harness_pid as number)).toBe(true);
    expect(gone(Number(child))).toBe(true);
    const ended = readLog(home).filter((e) => e.type === 'run-ended');
    expect(ended).toHaveLength(1);
    expect((ended[0]?.data as {reason: string}).reason).toBe(
      `the supervisor (pid ${running.supervisor_pid}) ended without recording an outcome; its harness (pid ${running.harness_pid}) is gone`,
    );
  });

  it('`spor runs stop` on such a run ends it too: the harness is gone, the run failed/supervisor-gone', async () => {
    const {home, env, runId} = await dispatched('hang');
    const running = await waitForRunning(home, runId, env);
    await killed(running.supervisor_pid as number);

    const stop = await runSpor(['runs', 'stop', runId], {home, env});
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(gone(running.harness_pid as number)).toBe(true);
    expect(JSON.parse((await runSpor(['runs', runId, '--json'], {home, env})).stdout)).toMatchObject({
      state: 'failed',
      class: 'supervisor-gone',
    });
  });
});

describe('spor runs', () => {
  it('lists runs newest first, shows one by prefix, refuses an unknown one, and says how to start when empty', async () => {
    const {home} = tempHome();
    expect((await runSpor(['runs'], {home})).stdout).toContain('spor dispatch');
    const env = {PATH: stubPath()};
    const repo = gitRepo();
    const a = runIdOf((await runSpor(['dispatch', 'first', '--dir', repo], {home, env})).stdout);
    await waitForEnd(home, a, env);
    const b = runIdOf((await runSpor(['dispatch', 'second', '--dir', repo], {home, env})).stdout);
    await waitForEnd(home, b, env);
    const list = JSON.parse((await runSpor(['runs', '--json'], {home, env})).stdout) as Array<{run_id: string}>;
    expect(list.map((r) => r.run_id)).toEqual([b, a].sort().reverse());
    const one = await runSpor(['runs', b.slice(0, -2)], {home, env});
    expect(one.stdout).toContain(`run        ${b}`);
    // A name picks the newest run of that name.
    expect((await runSpor(['runs', 'second', '--json'], {home, env})).stdout).toContain(`"run_id": "${b}"`);
    const none = await runSpor(['runs', 'zzz'], {home, env});
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("no run 'zzz'");
  });

  it('ended runs older than dispatch.runRetentionDays age out: no longer listed, their files removed, their events kept', async () => {
    const {home} = tempHome();
    const env = {PATH: stubPath()};
    const runId = runIdOf((await runSpor(['dispatch', 'short lived', '--dir', gitRepo()], {home, env})).stdout);
    await waitForEnd(home, runId, env);
    const dir = join(home, '.spor', 'runs', runId);
    expect(existsSync(dir)).toBe(true);
    expect((await runSpor(['config', 'set', 'dispatch.runRetentionDays', '0'], {home})).exitCode).toBe(0);
    expect(JSON.parse((await runSpor(['runs', '--json'], {home, env})).stdout)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(readLog(home).filter((e) => e.type === 'run-ended')).toHaveLength(1);
  });
});
