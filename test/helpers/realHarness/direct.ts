// The real CLIs run directly (not through spor), with the working commands of
// shared/design/real-harnesses.md, in a minimal environment.
import {afterEach} from 'vitest';
import {startFakeModel, type FakeModel, type FakeModelOptions} from '../fakeModel/index.js';
import {harnessBin, harnessInstall} from './install.js';
import {runCli, type CliRun} from './runCli.js';
import {harnessPath, type Sandbox} from './sandbox.js';
import {claudeEnv, codexArgs, codexEnv} from './settings.js';

const fakes: Array<FakeModel> = [];

/** A fake model for this test, closed after it (a run helper returns only once its CLI is gone). */
export const fakeModel = async (opts: FakeModelOptions = {}): Promise<FakeModel> => {
  const fake = await startFakeModel(opts);
  fakes.push(fake);
  return fake;
};

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** Nothing inherited: PATH, the sandbox's HOME and TMPDIR, a stable locale. */
export const baseEnv = (sb: Sandbox): Record<string, string> => ({
  PATH: harnessPath(harnessInstall().binDir),
  HOME: sb.home,
  TMPDIR: sb.tmp,
  LANG: 'C.UTF-8',
  TZ: 'UTC',
});

export interface RunOpts {
  prompt?: string;
  /** Added to (or overriding) the environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** `claude -p --output-format stream-json --verbose <args>`, prompt on stdin, in the sandbox's repo. */
export const runClaude = (
  sb: Sandbox,
  fake: Pick<FakeModel, 'url'>,
  args: ReadonlyArray<string>,
  opts: RunOpts = {},
): Promise<CliRun> =>
  runCli(harnessBin('claude'), ['-p', '--output-format', 'stream-json', '--verbose', ...args], {
    cwd: sb.repo,
    env: {...baseEnv(sb), ...claudeEnv(fake), ...opts.env},
    input: opts.prompt ?? 'Do the scripted task.',
    timeoutMs: opts.timeoutMs ?? 30_000,
  });

/** `codex exec --json --ephemeral <fake provider> <args>`, prompt on stdin, in the sandbox's repo. */
export const runCodex = (
  sb: Sandbox,
  fake: Pick<FakeModel, 'url'>,
  args: ReadonlyArray<string>,
  opts: RunOpts = {},
): Promise<CliRun> =>
  runCli(harnessBin('codex'), ['exec', '--json', '--ephemeral', ...codexArgs(fake), ...args], {
    cwd: sb.repo,
    env: {...baseEnv(sb), CODEX_HOME: sb.codexHome, ...codexEnv(), ...opts.env},
    input: opts.prompt ?? 'Do the scripted task.',
    timeoutMs: opts.timeoutMs ?? 30_000,
  });
