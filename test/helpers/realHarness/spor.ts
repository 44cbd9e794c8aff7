// spor between the test and the real CLIs: the built binary, pointed at the fake model through
// the user-facing settings (`harness.<name>.env` / `.args`), in the sandbox's homes.
import {readFileSync} from 'node:fs';
import {expect} from 'vitest';
import {runIdOf, waitForEnd, type RunJson} from '../dispatch.js';
import type {FakeModel} from '../fakeModel/index.js';
import {runSpor} from '../runSpor.js';
import {harnessInstall} from './install.js';
import {harnessPath, type Sandbox} from './sandbox.js';
import {sporHarnessSettings} from './settings.js';

export interface SporHarness {
  /** Runs `spor <args>` in the sandbox (HOME, SPOR_HOME, TMPDIR, PATH with the pinned CLIs). */
  spor(args: Array<string>, env?: Record<string, string>): ReturnType<typeof runSpor>;
  /** Dispatches and waits for the run to end (bounded); the run as `spor runs <id> --json` shows it. */
  dispatch(args: Array<string>): Promise<{runId: string; run: RunJson; stderr: string}>;
  /** Sets a setting as a user would (`spor config set`). */
  set(key: string, value: string): Promise<void>;
}

/** spor for one sandbox, with both harnesses pointed at `fake` through `spor config set`. */
export const sporFor = async (sb: Sandbox, fake: Pick<FakeModel, 'url'>): Promise<SporHarness> => {
  const env = {PATH: harnessPath(harnessInstall().binDir), TMPDIR: sb.tmp};
  const spor: SporHarness['spor'] = (args, extra = {}) =>
    runSpor(args, {home: sb.home, cwd: sb.repo, env: {...env, ...extra}});
  const set: SporHarness['set'] = async (key, value) => {
    const r = await spor(['config', 'set', key, value]);
    expect(r.stderr, `config set ${key}`).toBe('');
  };
  for (const [key, value] of Object.entries(sporHarnessSettings(fake, sb.codexHome))) await set(key, value);
  return {
    spor,
    set,
    dispatch: async (args) => {
      const r = await spor(['dispatch', ...args]);
      expect(r.exitCode, r.stderr).toBe(0);
      const runId = runIdOf(r.stdout);
      return {runId, run: await waitForEnd(sb.home, runId, env, 45_000), stderr: r.stderr};
    },
  };
};

/** A live process's argv and environment names, as the kernel started it (Linux /proc). */
export const procLaunch = (pid: number): {argv: Array<string>; envKeys: Array<string>} => {
  const split = (file: string): Array<string> =>
    readFileSync(`/proc/${pid}/${file}`, 'utf8')
      .split('\0')
      .filter((s) => s !== '');
  return {
    argv: split('cmdline'),
    envKeys: split('environ')
      .map((kv) => kv.slice(0, kv.indexOf('=')))
      .sort(),
  };
};
