import {describe, expect, it} from 'vitest';
import type {HarnessAdapter, HarnessSignal} from '../../../../plugins/runs/api.js';
import {claudeAdapter} from '../../../../plugins/harness-claude/adapter.js';
import {codexAdapter} from '../../../../plugins/harness-codex/adapter.js';

const req = {
  binary: '/opt/bin/x',
  cwd: '/w',
  reportFile: '/runs/r1/report',
  flags: {},
  posture: 'edit' as const,
  args: [],
};

/** Feeds lines through a fresh parser and folds what it reported, as the supervisor does. */
const read = (adapter: HarnessAdapter, lines: Array<string>): HarnessSignal => {
  const p = adapter.parser();
  return lines.reduce<HarnessSignal>((acc, l) => ({...acc, ...p.line(l)}), {});
};

describe('claude-code adapter', () => {
  it('runs headless with streamed JSON; the posture as --permission-mode (a given one wins); name, model, agent and extra args when given', () => {
    const head = ['/opt/bin/x', '-p', '--output-format', 'stream-json', '--verbose'];
    expect(claudeAdapter.launch(req).argv).toEqual([...head, '--permission-mode', 'acceptEdits']);
    expect(claudeAdapter.launch({...req, posture: 'read-only'}).argv).toEqual([...head, '--permission-mode', 'plan']);
    expect(claudeAdapter.launch({...req, posture: 'full'}).argv).toEqual([
      ...head,
      '--permission-mode',
      'bypassPermissions',
    ]);
    expect(
      claudeAdapter.launch({
        ...req,
        posture: 'read-only',
        name: 'fix-login',
        model: 'opus',
        flags: {'permission-mode': 'acceptEdits', agent: 'reviewer'},
        args: ['--add-dir', '/shared docs'],
      }).argv,
    ).toEqual([
      ...head,
      '--name',
      'fix-login',
      '--model',
      'opus',
      '--permission-mode',
      'acceptEdits',
      '--agent',
      'reviewer',
      '--add-dir',
      '/shared docs',
    ]);
    expect(claudeAdapter.flags.map((f) => f.name)).toEqual(['permission-mode', 'agent']);
  });

  it('refuses beforehand to skip permissions as root, unless IS_SANDBOX=1 reaches it', () => {
    const full = claudeAdapter.launch({...req, posture: 'full'}).argv;
    expect(claudeAdapter.preflight?.({argv: full, env: {}, uid: 0})).toContain('as root');
    expect(claudeAdapter.preflight?.({argv: full, env: {IS_SANDBOX: '1'}, uid: 0})).toBeUndefined();
    expect(claudeAdapter.preflight?.({argv: full, env: {}, uid: 1000})).toBeUndefined();
    expect(
      claudeAdapter.preflight?.({
        argv: [...claudeAdapter.launch(req).argv, '--dangerously-skip-permissions'],
        env: {},
        uid: 0,
      }),
    ).toContain('as root');
    expect(claudeAdapter.preflight?.({argv: claudeAdapter.launch(req).argv, env: {}, uid: 0})).toBeUndefined();
  });

  it('takes the session id from init and the report and outcome from the result line; garbage is ignored', () => {
    const got = read(claudeAdapter, [
      'not json at all',
      '{"type":"system","subtype":"init","session_id":"s-1","tools":[]}',
      '{"type":"assistant","message":{"content":[{"type":"text","text":"working"}]},"session_id":"s-1"}',
      '{broken',
      '{"type":"result","subtype":"success","is_error":false,"result":"Done: tests pass.","session_id":"s-1"}',
    ]);
    expect(got).toEqual({
      sessionId: 's-1',
      report: 'Done: tests pass.',
      outcome: {class: 'completed', signal: 'result', reason: 'the agent reported success'},
    });
  });

  it('an error result is failed, or environment when it names credit, limits or auth', () => {
    expect(
      read(claudeAdapter, ['{"type":"result","subtype":"error_max_turns","is_error":true,"session_id":"s"}']).outcome,
    ).toMatchObject({class: 'failed', signal: 'error_max_turns'});
    expect(
      read(claudeAdapter, [
        '{"type":"result","subtype":"success","is_error":true,"result":"Credit balance is too low"}',
      ]).outcome,
    ).toMatchObject({class: 'environment', signal: 'credit'});
    expect(claudeAdapter.classify?.({code: 1, signal: null}, ['Invalid API key · Please run /login'])).toMatchObject({
      class: 'environment',
      signal: 'auth',
    });
    expect(claudeAdapter.classify?.({code: 1, signal: null}, ['TypeError: x is undefined'])).toBeUndefined();
  });
});

describe('codex adapter', () => {
  it('runs codex exec --json with the posture as --sandbox, approval never as a -c override, the report file; the prompt on stdin (-)', () => {
    const tail = ['-c', 'approval_policy="never"', '--output-last-message', '/runs/r1/report'];
    expect(codexAdapter.launch(req).argv).toEqual([
      '/opt/bin/x',
      'exec',
      '--json',
      '--sandbox',
      'workspace-write',
      ...tail,
      '-',
    ]);
    expect(codexAdapter.launch({...req, posture: 'read-only'}).argv[4]).toBe('read-only');
    expect(codexAdapter.launch({...req, posture: 'full'}).argv[4]).toBe('danger-full-access');
    const given = codexAdapter.launch({
      ...req,
      posture: 'full',
      model: 'o4',
      flags: {sandbox: 'read-only', 'approval-policy': 'on-request'},
      args: ['--disable', 'plugins', '-c', 'model_providers.x={name="x y"}'],
    }).argv;
    expect(given).toEqual([
      '/opt/bin/x',
      'exec',
      '--json',
      '--sandbox',
      'read-only',
      '-c',
      'approval_policy="on-request"',
      '--output-last-message',
      '/runs/r1/report',
      '--model',
      'o4',
      '--disable',
      'plugins',
      '-c',
      'model_providers.x={name="x y"}',
      '-',
    ]);
    // codex 0.171 rejects these after `exec` (exit 2): they must never come back.
    for (const gone of ['--ask-for-approval', '-a', '--full-auto']) expect(given).not.toContain(gone);
  });

  it('reads the current event stream: thread id, last agent message, turn outcome', () => {
    expect(
      read(codexAdapter, [
        '{"type":"thread.started","thread_id":"t-9"}',
        '{"type":"turn.started"}',
        '{"type":"item.completed","item":{"id":"i1","type":"reasoning","text":"hmm"}}',
        '{"type":"item.completed","item":{"id":"i2","type":"agent_message","text":"All done."}}',
        '{"type":"turn.completed","usage":{}}',
      ]),
    ).toEqual({
      sessionId: 't-9',
      report: 'All done.',
      outcome: {class: 'completed', signal: 'turn.completed', reason: 'the agent finished its turn'},
    });
    expect(
      read(codexAdapter, [
        '{"type":"turn.failed","error":{"message":"exceeded retry limit, last status: 429 Too Many Requests"}}',
      ]).outcome,
    ).toMatchObject({class: 'environment', signal: 'rate-limit'});
  });

  it('reads the older {msg} envelope too', () => {
    expect(
      read(codexAdapter, [
        '{"id":"0","msg":{"type":"session_configured","session_id":"old-1"}}',
        '{"id":"1","msg":{"type":"task_complete","last_agent_message":"Fixed."}}',
      ]),
    ).toMatchObject({sessionId: 'old-1', report: 'Fixed.', outcome: {class: 'completed'}});
    expect(read(codexAdapter, ['{"id":"1","msg":{"type":"error","message":"boom"}}']).outcome).toMatchObject({
      class: 'failed',
      signal: 'error',
    });
  });
});
