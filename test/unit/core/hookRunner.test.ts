import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../core/events.js';
import {
  hookDepthOf,
  hookEnvelope,
  hookEnvironment,
  Tail,
  TAIL_BYTES,
  verdictOf,
  type HookOutcome,
  type HookRunContext,
} from '../../../core/hookRunner.js';

const event: SporEvent = {
  id: 'ev-7',
  seq: 7,
  type: 'repo-added',
  v: 1,
  at: '2026-11-24T10:00:00.000Z',
  actor: 'machine:ada@box',
  data: {slug: 'svc', path: '/x'},
};

const sporEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/ada',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
  GITHUB_TOKEN: 'ghp_secret',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  NODE_OPTIONS: '--require /evil.js',
  SPOR_SERVER_TOKEN: 'tok',
  USER: 'ada',
};
const ctx = (over: Partial<HookRunContext> = {}): HookRunContext => ({
  sporHome: '/home/ada/.spor',
  env: sporEnv,
  depth: 0,
  eventEnv: {},
  ...over,
});

const outcome = (o: Partial<HookOutcome>): HookOutcome => ({
  exit: 0,
  signal: null,
  timedOut: false,
  durationMs: 12,
  stdoutTail: '',
  stderrTail: '',
  ...o,
});

describe('hookEnvironment', () => {
  it("passes exactly the allowlist, spor's SPOR_* variables and the event's key fields", () => {
    const env = hookEnvironment(
      {id: 'h3'},
      event,
      ctx({depth: 1, eventEnv: {SPOR_REPO_SLUG: 'svc', SPOR_REPO_PATH: '/x'}}),
    );
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/ada',
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      SPOR_HOME: '/home/ada/.spor',
      SPOR_EVENT: 'repo-added',
      SPOR_EVENT_ID: 'ev-7',
      SPOR_EVENT_SEQ: '7',
      SPOR_EVENT_V: '1',
      SPOR_EVENT_AT: '2026-11-24T10:00:00.000Z',
      SPOR_HOOK_NAME: 'h3',
      SPOR_HOOK_DEPTH: '2',
      SPOR_REPO_SLUG: 'svc',
      SPOR_REPO_PATH: '/x',
    });
  });

  it("never passes tokens, secrets or anything else from spor's environment", () => {
    const env = hookEnvironment({id: 'h1'}, event, ctx());
    for (const name of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'NODE_OPTIONS', 'SPOR_SERVER_TOKEN', 'USER'])
      expect(env).not.toHaveProperty(name);
    for (const secret of ['ghp_secret', 'aws-secret', 'tok']) expect(Object.values(env)).not.toContain(secret);
  });

  it('leaves out inherited names spor does not have', () => {
    const env = hookEnvironment({id: 'h1'}, event, ctx({env: {PATH: '/bin'}}));
    expect(Object.keys(env).filter((k) => !k.startsWith('SPOR_'))).toEqual(['PATH']);
  });

  it("takes only SPOR_* key fields from an event, and never lets them override spor's own", () => {
    const env = hookEnvironment(
      {id: 'h1'},
      event,
      ctx({
        eventEnv: {
          LD_PRELOAD: '/evil.so',
          NODE_OPTIONS: '-r x',
          SPOR_EVENT: 'forged',
          SPOR_HOOK_DEPTH: '0',
          spor_lower: 'x',
          SPOR_OK: 'yes',
        },
      }),
    );
    expect(env.LD_PRELOAD).toBeUndefined();
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.spor_lower).toBeUndefined();
    expect(env.SPOR_EVENT).toBe('repo-added');
    expect(env.SPOR_HOOK_DEPTH).toBe('1');
    expect(env.SPOR_OK).toBe('yes');
  });
});

describe('hookEnvelope', () => {
  it('is one line holding exactly the envelope, with causation null when the event has none', () => {
    const text = hookEnvelope(event);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd()).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({...event, causation: null});
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'id',
      'seq',
      'type',
      'v',
      'at',
      'actor',
      'data',
      'causation',
    ]);
  });

  it('carries the causation of a follow-up event', () => {
    expect((JSON.parse(hookEnvelope({...event, causation: 'ev-1'})) as {causation: string}).causation).toBe('ev-1');
  });
});

describe('Tail', () => {
  it('keeps small output whole', () => {
    const t = new Tail();
    t.push('hello ');
    t.push(Buffer.from('world\n'));
    expect(t.text()).toBe('hello world\n');
  });

  it('keeps only the last TAIL_BYTES of a long stream, however it was chunked', () => {
    const t = new Tail();
    const all = Array.from({length: 500}, (_, i) => `line ${i}\n`).join('');
    for (let i = 0; i < all.length; i += 37) t.push(all.slice(i, i + 37));
    expect(t.text()).toBe(all.slice(-TAIL_BYTES));
  });

  it('drops a multi-byte character cut in half at the start', () => {
    const t = new Tail(4);
    t.push('aé€'); // a(1) é(2) €(3): the last 4 bytes start inside é
    expect(t.text()).toBe('€');
  });
});

describe('verdictOf', () => {
  it('exit 0 is ok', () => expect(verdictOf(outcome({exit: 0}))).toEqual({kind: 'ok'}));
  it('exit 2 is a veto whose reason is the first stderr line', () => {
    expect(verdictOf(outcome({exit: 2, stderrTail: '\n  not on a Friday \nmore detail\n'}))).toEqual({
      kind: 'veto',
      reason: 'not on a Friday',
    });
    expect(verdictOf(outcome({exit: 2})).kind).toBe('veto');
  });
  it('any other exit, a timeout, a signal or a failed start is a failure', () => {
    expect(verdictOf(outcome({exit: 7, stderrTail: 'disk full\n'}))).toEqual({
      kind: 'failed',
      reason: 'exited 7: disk full',
    });
    expect(verdictOf(outcome({exit: null, signal: 'SIGTERM', timedOut: true, durationMs: 503}))).toEqual({
      kind: 'failed',
      reason: 'timed out after 503ms',
    });
    expect(verdictOf(outcome({exit: null, signal: 'SIGKILL'}))).toEqual({kind: 'failed', reason: 'killed by SIGKILL'});
    expect(verdictOf(outcome({exit: null, error: 'spawn /gone ENOENT'}))).toEqual({
      kind: 'failed',
      reason: 'could not start: spawn /gone ENOENT',
    });
  });
});

describe('hookDepthOf', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['2', 2],
    ['-1', 0],
    ['x', 0],
  ])('reads SPOR_HOOK_DEPTH=%j as %i', (value, depth) => {
    expect(hookDepthOf(value === undefined ? {} : {SPOR_HOOK_DEPTH: value})).toBe(depth);
  });
});
