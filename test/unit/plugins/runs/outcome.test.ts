import {describe, expect, it} from 'vitest';
import {outcomeOf} from '../../../../plugins/runs/outcome.js';
import {runEvents} from '../../../../plugins/runs/events.js';

const ok = {code: 0, signal: null};
const completed = {class: 'completed' as const, signal: 'result', reason: 'the agent reported success'};

describe('a run outcome', () => {
  it('a clean exit whose harness refused tool calls is failed/permission-denied, naming how many and which tools', () => {
    expect(
      outcomeOf(ok, {sessionId: 's', outcome: completed, denied: ['Write', 'Edit', 'Write']}, [], undefined, {
        stopped: false,
      }),
    ).toEqual({
      state: 'failed',
      class: 'permission-denied',
      signal: 'denied',
      reason: "the harness refused 3 tool calls (Write, Edit): the agent's work is incomplete",
    });
    expect(outcomeOf(ok, {sessionId: 's', outcome: completed, denied: []}, [], undefined, {stopped: false})).toEqual({
      state: 'done',
      ...completed,
    });
  });

  it('a bound the supervisor enforced wins over what the killed harness printed; a stall on retries is model-unreachable', () => {
    const killed = {code: null, signal: 'SIGTERM'};
    const seen = {outcome: {class: 'failed' as const, signal: 'error', reason: 'x'}};
    expect(outcomeOf(killed, seen, [], undefined, {stopped: false, bound: {kind: 'timeout', ms: 7_200_000}})).toEqual({
      state: 'failed',
      class: 'timeout',
      signal: 'timeout',
      reason: 'the run passed runs.timeout (2h) and was stopped',
    });
    expect(outcomeOf(killed, {}, [], undefined, {stopped: false, bound: {kind: 'stalled', ms: 90_000}})).toMatchObject({
      state: 'failed',
      class: 'stalled',
      reason: 'no output for 90s (runs.stallTimeout); the harness was stopped',
    });
    expect(
      outcomeOf(killed, {}, [], undefined, {stopped: false, retrying: true, bound: {kind: 'stalled', ms: 60_000}}),
    ).toMatchObject({state: 'failed', class: 'model-unreachable', signal: 'unreachable'});
    expect(outcomeOf(killed, {}, [], undefined, {stopped: true, bound: {kind: 'timeout', ms: 1}})).toMatchObject({
      signal: 'stopped',
    });
  });

  it('what the output names: auth and an unreachable model are their own classes; limits stay environment', () => {
    const failed = {code: 1, signal: null};
    const end = {stopped: false};
    expect(outcomeOf(failed, {}, ['Invalid API key · Please run /login'], undefined, end)).toMatchObject({
      class: 'auth',
      signal: 'auth',
    });
    expect(
      outcomeOf(failed, {}, ['API Error: Unable to connect to API (ConnectionRefused)'], undefined, end),
    ).toMatchObject({class: 'model-unreachable', signal: 'unreachable'});
    expect(outcomeOf(failed, {}, ['429 Too Many Requests'], undefined, end)).toMatchObject({
      class: 'environment',
      signal: 'rate-limit',
    });
  });

  it('the run-ended hook sees the class and, when tools were refused, how many and which', () => {
    const hookEnv = runEvents['run-ended']?.hookEnv as (d: unknown) => Record<string, string>;
    expect(
      hookEnv({
        run_id: 'r1',
        state: 'failed',
        class: 'permission-denied',
        signal: 'denied',
        reason: 'x',
        exit_code: 0,
        exit_signal: null,
        has_report: true,
        denied: 3,
        denied_tools: ['Write', 'Edit'],
      }),
    ).toEqual({
      SPOR_RUN_ID: 'r1',
      SPOR_RUN_STATE: 'failed',
      SPOR_RUN_CLASS: 'permission-denied',
      SPOR_RUN_DENIED: '3',
      SPOR_RUN_DENIED_TOOLS: 'Write,Edit',
    });
  });
});
