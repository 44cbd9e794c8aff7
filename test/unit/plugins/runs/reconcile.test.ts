import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {isInFlight, reconcile} from '../../../../plugins/runs/reconcile.js';
import {endHarness, isHarnessAlive} from '../../../../plugins/runs/liveness.js';
import type {RunRecord, RunsSlice} from '../../../../plugins/runs/api.js';
import {tempDir} from '../../../helpers/tempHome.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const run = (runId: string, over: Partial<RunRecord>): RunRecord => ({
  runId,
  name: runId,
  harness: 'claude-code',
  dir: '/w',
  state: 'running',
  startedAt: '2026-11-24T11:50:00.000Z',
  ...over,
});
const slice = (...runs: Array<RunRecord>): RunsSlice => ({byId: Object.fromEntries(runs.map((r) => [r.runId, r]))});

// A pid that certainly belonged to a process that has exited.
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number;

// A stand-in harness: its own process group, SPOR_RUN_ID in its environment, as the supervisor starts one.
const started: Array<number> = [];
const harness = (runId: string, env: Record<string, string> = {SPOR_RUN_ID: runId}): number => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {detached: true, stdio: 'ignore', env});
  child.unref();
  started.push(child.pid as number);
  return child.pid as number;
};
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

describe('reconciling runs whose supervisor is gone', () => {
  it('dead supervisor, harness gone: failed/supervisor-gone, naming both pids', () => {
    const [sup, h] = [deadPid(), deadPid()];
    const drafts = reconcile(
      slice(run('r-dead', {supervisorPid: sup, harnessPid: h})),
      NOW,
      tempDir(),
      () => undefined,
    );
    expect(drafts).toEqual([
      {
        type: 'run-ended',
        data: expect.objectContaining({
          run_id: 'r-dead',
          state: 'failed',
          class: 'supervisor-gone',
          signal: 'supervisor-gone',
          reason: `the supervisor (pid ${sup}) ended without recording an outcome; its harness (pid ${h}) is gone`,
        }),
      },
    ]);
  });

  it('dead while launching (no harness started): failed_launch/supervisor-gone, even in its first minute once its pid is known', () => {
    const runs = tempDir();
    mkdirSync(join(runs, 'r-launch'));
    writeFileSync(join(runs, 'r-launch', 'pids.json'), JSON.stringify({supervisor: deadPid()}));
    const young = run('r-launch', {state: 'launching', startedAt: '2026-11-24T11:59:50.000Z'});
    expect(reconcile(slice(young), NOW, runs, () => undefined)[0]?.data).toMatchObject({
      state: 'failed_launch',
      class: 'supervisor-gone',
    });
  });

  it('a harness still alive is not ended here and keeps the run in flight; one that merely reuses the group id does not', async () => {
    const alive = run('r-orphan', {supervisorPid: deadPid(), harnessPid: harness('r-orphan')});
    expect(isHarnessAlive(alive.harnessPid, 'r-orphan')).toBe(true);
    expect(reconcile(slice(alive), NOW, tempDir(), () => undefined)).toEqual([]);
    expect(isInFlight(alive, NOW, tempDir())).toBe(true);

    const other = run('r-other', {supervisorPid: deadPid(), harnessPid: harness('r-other', {SPOR_RUN_ID: 'not-it'})});
    expect(isHarnessAlive(other.harnessPid, 'r-other')).toBe(false);
    expect(isInFlight(other, NOW, tempDir())).toBe(false);

    expect(await endHarness(alive.harnessPid as number, 'r-orphan')).toBe(true);
    expect(isInFlight(alive, NOW, tempDir())).toBe(false);
    expect(reconcile(slice(alive), NOW, tempDir(), () => undefined)[0]?.data).toMatchObject({
      state: 'failed',
      class: 'supervisor-gone',
    });
  });

  it('a pid now held by another process (this test runner) is not mistaken for the supervisor', () => {
    expect(
      reconcile(slice(run('r-reused', {supervisorPid: process.pid})), NOW, tempDir(), () => undefined)[0]?.data,
    ).toMatchObject({state: 'failed', class: 'supervisor-gone'});
  });

  it('a run in its first minute with no pid known is left alone, and ended runs are never touched; no pid ever: vanished', () => {
    const young = run('r-young', {startedAt: '2026-11-24T11:59:30.000Z'});
    const ended = run('r-ended', {state: 'done', class: 'completed'});
    expect(reconcile(slice(young, ended), NOW, tempDir(), () => undefined)).toEqual([]);
    expect(reconcile(slice(run('r-old', {})), NOW, tempDir(), () => undefined)[0]?.data).toMatchObject({
      state: 'vanished',
      class: 'unknown',
    });
  });

  it('a log tail naming a rate limit goes into the reason; a stop the user asked for is the signal', () => {
    const runs = tempDir();
    mkdirSync(join(runs, 'r-limited'));
    writeFileSync(join(runs, 'r-limited', 'output.log'), 'working\nAPI Error: 429 Too Many Requests\n');
    writeFileSync(join(runs, 'r-limited', 'stop-requested'), 'now\n');
    const data = reconcile(slice(run('r-limited', {supervisorPid: deadPid()})), NOW, runs, () => undefined)[0]?.data;
    expect(data).toMatchObject({state: 'failed', class: 'supervisor-gone', signal: 'stopped'});
    expect((data as {reason: string}).reason).toContain("the output's tail: rate limited");
  });
});
