import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {resolve} from '../../core/di.js';
import {MACHINE_SETTINGS, type MachineSettings} from '../../core/settings.js';
import {gitRepo, runIdOf, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {runInProcess} from '../helpers/inProcess.js';
import {readLog} from '../helpers/readLog.js';
import {SPOR_BIN} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

// Every take of the log lock in this process: a wait for it (appends, decisions) or a try that
// got it (a snapshot written by a read).
const locks = vi.hoisted(() => ({taken: 0}));
vi.mock('../../core/lock.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/lock.js')>();
  return {
    ...real,
    acquireLock: async (...args: Parameters<typeof real.acquireLock>) => {
      const handle = await real.acquireLock(...args);
      locks.taken += 1;
      return handle;
    },
    tryLock: async (...args: Parameters<typeof real.tryLock>) => {
      const handle = await real.tryLock(...args);
      if (handle) locks.taken += 1;
      return handle;
    },
  };
});

describe('what one real --worktree dispatch costs the process that dispatches', () => {
  it('one read of the settings and at most two takes of the log lock, even with every snapshot due', async () => {
    const {home, sporHome} = tempHome();
    const repo = gitRepo();
    // The supervisor is the built binary (this process is vitest), with the stub harness on PATH.
    const env = {PATH: stubPath(), SPOR_ENTRY: SPOR_BIN};
    const run = (args: Array<string>, prepare?: Parameters<typeof runInProcess>[1]['prepare']) =>
      runInProcess(args, {home, env, ...(prepare ? {prepare} : {})});
    expect((await run(['repos', 'add', 'bench', repo])).code).toBe(0);
    for (let i = 0; i < 5; i += 1) await run(['add', `Task ${i}`, '--type', 'task', '--repo', 'bench']);

    for (const round of [1, 2]) {
      // Round 1 finds the snapshots of the last commands; round 2 finds none, so every slice it
      // reads is rebuilt and due for a snapshot.
      if (round === 2) rmSync(join(sporHome, 'snapshots'), {recursive: true, force: true});
      let settingsReads = 0;
      locks.taken = 0;
      const r = await run(
        ['dispatch', `Bench task ${round}`, '--dir', repo, '--worktree', '--name', `b${round}`],
        (b) => {
          const machine = resolve(b.container, MACHINE_SETTINGS);
          const counting: MachineSettings = {
            values: () => {
              settingsReads += 1;
              return machine.values();
            },
          };
          b.container.register(MACHINE_SETTINGS, {useValue: counting});
        },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // The claim and the worktree's record; a snapshot that was due is written under one of them.
      expect({round, settingsReads}).toEqual({round, settingsReads: 1});
      expect(locks.taken).toBeGreaterThan(0);
      expect(locks.taken).toBeLessThanOrEqual(2);
      expect((await waitForEnd(home, runIdOf(r.stdout), env)).state).toBe('done');
    }
    expect(readLog(home).filter((e) => e.type === 'worktree-created')).toHaveLength(2);
  });
});
