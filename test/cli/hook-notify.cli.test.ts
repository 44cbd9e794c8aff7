import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, runIdOf, STUB_PASSTHROUGH, stubPath, waitForEnd} from '../helpers/dispatch.js';
import {ROOT, runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const NOTIFY = join(ROOT, 'hooks', 'notify-run-ended');

/** Polls for a file a hook writes (hooks run after the event is durable, from the supervisor). */
const waitFor = async (file: string): Promise<string> => {
  for (let i = 0; i < 100 && !existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 100));
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

describe('hooks/notify-run-ended', () => {
  it('appends a line per ended run to the file it is given when no desktop notifier is on PATH', async () => {
    const {home} = tempHome();
    const file = join(tempDir(), 'ended.log');
    expect((await runSpor(['hooks', 'add', 'run-ended', NOTIFY, '--', file], {home})).exitCode).toBe(0);
    const env = {PATH: stubPath(), STUB_MODE: 'exit-at-once', ...STUB_PASSTHROUGH};
    const runId = runIdOf((await runSpor(['dispatch', 'notify me', '--dir', gitRepo()], {home, env})).stdout);
    await waitForEnd(home, runId, env);
    expect(await waitFor(file)).toMatch(new RegExp(`^\\S+Z ${runId} failed failed the harness exited 3\\n$`));
  });

  it('uses notify-send when there is one, with the state and the reason, and writes no file', async () => {
    const {home, sporHome} = tempHome();
    const bin = tempDir();
    const seen = join(tempDir(), 'notify-send.argv');
    writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${seen}\n`);
    chmodSync(join(bin, 'notify-send'), 0o755);
    expect((await runSpor(['hooks', 'add', 'run-ended', NOTIFY], {home})).exitCode).toBe(0);
    const env = {PATH: `${bin}${delimiter}${stubPath()}`};
    const runId = runIdOf((await runSpor(['dispatch', 'notify me', '--dir', gitRepo()], {home, env})).stdout);
    await waitForEnd(home, runId, env);
    expect((await waitFor(seen)).split('\n')).toEqual([
      '--app-name=spor',
      'spor: run done',
      `${runId}: the agent reported success`,
      '',
    ]);
    expect(existsSync(join(sporHome, 'notifications.log'))).toBe(false);
  });
});
