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
const read = (adapter: HarnessAdapter, lines: Array<string | ['stderr', string]>): HarnessSignal => {
  const p = adapter.parser();
  return lines.reduce<HarnessSignal>(
    (acc, l) => ({...acc, ...(typeof l === 'string' ? p.line(l, 'stdout') : p.line(l[1], l[0]))}),
    {},
  );
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

  it('a successful result with permission_denials: still completed as Claude says, but the refused tools are read', () => {
    expect(
      read(claudeAdapter, [
        '{"type":"result","subtype":"success","is_error":false,"result":"done","session_id":"s","permission_denials":[{"tool_name":"Write","tool_use_id":"a","tool_input":{}},{"tool_name":"Bash","tool_use_id":"b","tool_input":{}}]}',
      ]),
    ).toMatchObject({denied: ['Write', 'Bash'], outcome: {class: 'completed'}});
  });

  it('api_retry lines are retries (not progress); an is_error result naming a refused connection is model-unreachable (subtype says success)', () => {
    expect(read(claudeAdapter, ['{"type":"system","subtype":"api_retry","attempt":1,"max_retries":10}'])).toEqual({
      retrying: true,
    });
    expect(
      read(claudeAdapter, [
        '{"type":"result","subtype":"success","is_error":true,"result":"API Error: Unable to connect to API (ConnectionRefused)"}',
      ]).outcome,
    ).toMatchObject({class: 'model-unreachable', signal: 'unreachable'});
    expect(read(claudeAdapter, [['stderr', '{"type":"result","is_error":true}']])).toEqual({});
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
      class: 'auth',
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

  it('refusals: patch rejected on stderr, a declined item, a failed file change; a failed command is not one', () => {
    expect(
      read(codexAdapter, [
        ['stderr', 'Reading prompt from stdin...'],
        [
          'stderr',
          '2026-12-02T23:00:00Z ERROR codex_core::tools::router: error=patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings',
        ],
        '{"type":"item.completed","item":{"id":"i1","type":"command_execution","command":"git add x","status":"declined"}}',
        '{"type":"item.completed","item":{"id":"i2","type":"file_change","changes":[],"status":"failed"}}',
        '{"type":"item.completed","item":{"id":"i3","type":"command_execution","command":"false","exit_code":1,"status":"failed"}}',
        '{"type":"turn.completed","usage":{}}',
      ]),
    ).toMatchObject({
      denied: ['apply_patch', 'command_execution', 'file_change'],
      outcome: {class: 'completed'},
    });
  });

  it('Reconnecting... (a model it cannot reach, retried forever) is a retry, not an error', () => {
    expect(
      read(codexAdapter, [
        '{"type":"error","message":"Reconnecting... waiting for network (Connection failed: error sending request)"}',
      ]),
    ).toEqual({retrying: true});
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
