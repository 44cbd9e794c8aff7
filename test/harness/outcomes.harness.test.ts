// spor between the user and the real CLIs: the outcome a run records is what the harness really
// did (refused edits, an unreachable model), not what its exit code claims.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runIdOf, waitForEnd} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {fakeModel} from '../helpers/realHarness/direct.js';
import {available} from '../helpers/realHarness/install.js';
import {sandbox, type Sandbox} from '../helpers/realHarness/sandbox.js';
import {spor, sporHarnessEnv, writeCodexConfig} from '../helpers/realHarness/viaSpor.js';
import type {FakeModel} from '../helpers/fakeModel/index.js';

const WRITE = [{write: {path: 'HELLO.md', content: 'hello\n'}}, {text: 'done'}];

/** Dispatches in the sandbox's repo and waits (bounded) for the run to end; returns its record. */
const dispatchAndWait = async (sb: Sandbox, fake: FakeModel, args: Array<string>) => {
  const r = await spor(sb, fake, ['dispatch', 'Create HELLO.md', '--dir', sb.repo, '--no-brief', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  const runId = runIdOf(r.stdout);
  return {runId, run: await waitForEnd(sb.home, runId, sporHarnessEnv(sb, fake), 60_000)};
};

describe.skipIf(!available('claude'))('spor dispatch with the real Claude Code: honest outcomes', () => {
  it('read-only (--permission-mode plan): the Write is refused, HELLO.md is absent, the run says permission-denied', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: WRITE});

    const {run} = await dispatchAndWait(sb, fake, ['--permission-mode', 'plan']);

    expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
    expect(run).toMatchObject({state: 'failed', class: 'permission-denied', signal: 'denied'});
    expect(readLog(sb.home).find((e) => e.type === 'run-ended')?.data).toMatchObject({
      exit_code: 0,
      denied: 1,
      denied_tools: ['Write'],
    });
  });

  it('the model server is down: failed/model-unreachable within seconds, never running forever', async () => {
    const sb = sandbox();
    const fake = await fakeModel({down: true});

    const {run} = await dispatchAndWait(sb, fake, ['--permission-mode', 'acceptEdits']);

    expect(run).toMatchObject({state: 'failed', class: 'model-unreachable', signal: 'unreachable'});
  });

  it('the model rejects the key (401): failed/auth', async () => {
    const sb = sandbox();
    const fake = await fakeModel({
      script: [{error: {status: 401, message: 'invalid x-api-key'}}],
    });

    const {run} = await dispatchAndWait(sb, fake, ['--permission-mode', 'acceptEdits']);

    expect(run).toMatchObject({state: 'failed', class: 'auth', signal: 'auth'});
  });
});

describe.skipIf(!available('codex'))('spor dispatch with the real codex: honest outcomes', () => {
  it('read-only (--sandbox read-only): the patch is rejected, HELLO.md is absent, the run says permission-denied', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: WRITE});
    writeCodexConfig(sb, fake);
    await spor(sb, fake, ['config', 'set', 'dispatch.harness', 'codex']);

    const {run} = await dispatchAndWait(sb, fake, ['--sandbox', 'read-only']);

    expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
    expect(run).toMatchObject({state: 'failed', class: 'permission-denied'});
    expect(readLog(sb.home).find((e) => e.type === 'run-ended')?.data).toMatchObject({
      exit_code: 0,
      denied_tools: ['apply_patch'],
    });
  });

  it('the model server is down: codex reconnects forever (first retry after ~3 s), spor ends the run failed/model-unreachable at runs.stallTimeout', async () => {
    const sb = sandbox();
    const fake = await fakeModel({down: true});
    writeCodexConfig(sb, fake);
    await spor(sb, fake, ['config', 'set', 'dispatch.harness', 'codex']);
    await spor(sb, fake, ['config', 'set', 'runs.stallTimeout', '6s']);

    const {run} = await dispatchAndWait(sb, fake, ['--sandbox', 'workspace-write']);

    expect(run).toMatchObject({state: 'failed', class: 'model-unreachable', signal: 'unreachable'});
  });

  it('the model rejects the key (401): failed/auth', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{error: {status: 401, message: 'invalid api key'}}]});
    writeCodexConfig(sb, fake);
    await spor(sb, fake, ['config', 'set', 'dispatch.harness', 'codex']);
    await spor(sb, fake, ['config', 'set', 'runs.stallTimeout', '20s']);

    const {run} = await dispatchAndWait(sb, fake, ['--sandbox', 'workspace-write']);

    expect(run).toMatchObject({state: 'failed', class: 'auth', signal: 'auth'});
  });
});
