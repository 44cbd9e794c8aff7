import {spawnSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {reconcile} from '../../../../plugins/runs/reconcile.js';
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

describe('reconciling runs whose supervisor is gone', () => {
  it('a dead supervisor makes the run vanished, with a reason naming the pid', () => {
    const pid = deadPid();
    const drafts = reconcile(slice(run('r-dead', {supervisorPid: pid})), NOW, tempDir(), () => undefined);
    expect(drafts).toEqual([
      {
        type: 'run-ended',
        data: expect.objectContaining({
          run_id: 'r-dead',
          state: 'vanished',
          class: 'unknown',
          signal: 'supervisor-gone',
          reason: `the supervisor (pid ${pid}) ended without recording an outcome`,
        }),
      },
    ]);
  });

  it('a pid now held by another process (this test runner) is not mistaken for the supervisor', () => {
    expect(
      reconcile(slice(run('r-reused', {supervisorPid: process.pid})), NOW, tempDir(), () => undefined)[0]?.data,
    ).toMatchObject({state: 'vanished'});
  });

  it('a run in its first minute is left alone, and ended runs are never touched', () => {
    const young = run('r-young', {startedAt: '2026-11-24T11:59:30.000Z'});
    const ended = run('r-ended', {state: 'done', class: 'completed'});
    expect(reconcile(slice(young, ended), NOW, tempDir(), () => undefined)).toEqual([]);
  });

  it('a log tail naming a rate limit makes it failed/environment instead', () => {
    const runs = tempDir();
    mkdirSync(join(runs, 'r-limited'));
    writeFileSync(join(runs, 'r-limited', 'output.log'), 'working\nAPI Error: 429 Too Many Requests\n');
    expect(
      reconcile(slice(run('r-limited', {supervisorPid: deadPid()})), NOW, runs, () => undefined)[0]?.data,
    ).toMatchObject({state: 'failed', class: 'environment', signal: 'rate-limit'});
  });
});
