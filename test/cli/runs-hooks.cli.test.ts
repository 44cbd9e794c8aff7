import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, runIdOf, STUB_PASSTHROUGH, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

describe('a slow hook on every event never costs a run its output or its outcome', () => {
  it("with a 0.5 s hook on '*', harnesses that end at once still end with their own outcome and output", async () => {
    const {home, sporHome} = tempHome();
    const slow = join(tempDir(), 'slow-hook');
    writeFileSync(slow, '#!/bin/sh\ncat >/dev/null\nsleep 0.5\n');
    chmodSync(slow, 0o755);
    expect((await runSpor(['hooks', 'add', '*', slow], {home})).exitCode).toBe(0);
    const env = {PATH: stubPath(), STUB_MODE: 'credit', ...STUB_PASSTHROUGH};
    for (let i = 0; i < 3; i += 1) {
      const r = await runSpor(['dispatch', `credit ${i}`, '--dir', gitRepo()], {home, env});
      expect(r.exitCode, r.stderr).toBe(0);
      const runId = runIdOf(r.stdout);
      expect(await waitForEnd(home, runId, env, 30_000)).toMatchObject({
        state: 'failed',
        class: 'environment',
        signal: 'credit',
      });
      expect(readFileSync(join(sporHome, 'runs', runId, 'output.log'), 'utf8')).toContain('Credit balance is too low');
    }
  });
});
