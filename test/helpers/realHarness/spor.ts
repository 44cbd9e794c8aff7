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
  /** Sets a setting for the spor calls that follow, as `SPOR_<KEY>` in their environment. */
  set(key: string, value: string): void;
}

/** `harness.claude-code.env` → `SPOR_HARNESS_CLAUDE_CODE_ENV`, as spor reads settings from the environment. */
const envNameOf = (key: string): string => `SPOR_${key.toUpperCase().replace(/[.-]/g, '_')}`;

/**
 * spor for one sandbox, with both harnesses pointed at `fake` through their settings
 * (`harness.<name>.env` / `.args`), given as `SPOR_<KEY>` variables: the same values `spor config
 * set` records (test/cli covers that path), without a spor process per setting.
 */
export const sporFor = (sb: Sandbox, fake: Pick<FakeModel, 'url'>): SporHarness => {
  const settings: Record<string, string> = {};
  const set: SporHarness['set'] = (key, value) => {
    settings[envNameOf(key)] = value;
  };
  for (const [key, value] of Object.entries(sporHarnessSettings(fake, sb.codexHome))) set(key, value);
  const env = (): Record<string, string> => ({
    PATH: harnessPath(harnessInstall().binDir),
    TMPDIR: sb.tmp,
    ...settings,
  });
  const spor: SporHarness['spor'] = (args, extra = {}) =>
    runSpor(args, {home: sb.home, cwd: sb.repo, env: {...env(), ...extra}});
  return {
    spor,
    set,
    dispatch: async (args) => {
      const r = await spor(['dispatch', ...args]);
      expect(r.exitCode, r.stderr).toBe(0);
      const runId = runIdOf(r.stdout);
      return {runId, run: await waitForEnd(sb.home, runId, env(), 45_000), stderr: r.stderr};
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
