import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolve} from '../../../../core/di.js';
import type {EventDraft, SporEvent} from '../../../../core/events.js';
import {HOOK_DISPATCHER} from '../../../../plugins/hooks/api.js';
import {readLog, runInProcess} from '../../../helpers/inProcess.js';
import {tempDir, tempHome} from '../../../helpers/tempHome.js';

// In-process: these tests never let a hook fire (no child processes in unit tests); the runs
// themselves are covered by test/cli/hooks.cli.test.ts against the built binary.
const executable = (dir: string, name = 'notify.sh', mode = 0o755): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
};

describe('spor hooks add / list / rm', () => {
  it('says how to add a hook when there is none, and --json prints []', async () => {
    const {home} = tempHome();
    expect((await runInProcess(['hooks'], {home})).stdout).toContain('spor hooks add <event-type|*> <executable>');
    expect(JSON.parse((await runInProcess(['hooks', 'list', '--json'], {home})).stdout)).toEqual([]);
  });

  it('records hook-added with the absolute path, the arguments after -- and the --timeout in ms', async () => {
    const {home} = tempHome();
    const cwd = tempDir();
    const path = executable(cwd);
    const r = await runInProcess(
      ['hooks', 'add', 'repo-added', './notify.sh', '--timeout', '1.5s', '--', '--channel', '#ops', 'two words'],
      {home, cwd},
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`added h1: repo-added → ${path} --channel #ops "two words" (timeout 1500ms)\n`);
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['hook-added', {id: 'h1', event: 'repo-added', path, args: ['--channel', '#ops', 'two words'], timeout_ms: 1500}],
    ]);
  });

  it("passes arguments after -- to the hook even when they look like spor's options", async () => {
    const {home} = tempHome();
    const path = executable(tempDir());
    await runInProcess(['hooks', 'add', 'repo-added', path, '--', '--timeout', '5s'], {home});
    expect(readLog(home)[0]?.data).toMatchObject({args: ['--timeout', '5s'], timeout_ms: null});
  });

  it('lists hooks in the order added, as text and as JSON; no --timeout means the hooks.timeout setting', async () => {
    const {home} = tempHome();
    const cwd = tempDir();
    const path = executable(cwd);
    await runInProcess(['hooks', 'add', 'repo-removed', path], {home});
    await runInProcess(['hooks', 'add', '*', path, '--timeout', '2m', '--', 'x'], {home});
    const text = await runInProcess(['hooks', 'list'], {home});
    expect(text.stdout.split('\n').filter(Boolean)).toEqual([
      `h1  repo-removed  ${path}  (timeout hooks.timeout)`,
      `h2  *             ${path} x  (timeout 2m)`,
    ]);
    expect(JSON.parse((await runInProcess(['hooks', 'list', '--json'], {home})).stdout)).toEqual([
      {id: 'h1', event: 'repo-removed', path, args: [], timeout_ms: null},
      {id: 'h2', event: '*', path, args: ['x'], timeout_ms: 120_000},
    ]);
  });

  it('adding the same hook again writes nothing and names the existing id', async () => {
    const {home} = tempHome();
    const path = executable(tempDir());
    await runInProcess(['hooks', 'add', 'repo-added', path], {home});
    const again = await runInProcess(['hooks', 'add', 'repo-added', path], {home});
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already hooked as h1');
    expect(readLog(home)).toHaveLength(1);
  });

  it.each([
    [
      'an unknown event type',
      (p: string) => ['hooks', 'add', 'repo-addded', p],
      /^spor: unknown event type 'repo-addded'\n {2}hint: use '\*' or one of: .*\bhook-ran\b.*\brepo-added\b/,
    ],
    [
      'a bad --timeout',
      (p: string) => ['hooks', 'add', 'repo-added', p, '--timeout', 'soon'],
      /^spor: --timeout must be a duration such as 500ms, 30s or 2m, not 'soon'\n {2}hint: /,
    ],
    [
      'a missing executable',
      () => ['hooks', 'add', 'repo-added', './nope.sh'],
      /^spor: hook executable not found: .*nope\.sh\n {2}hint: /,
    ],
    [
      'a file that is not executable',
      (_p: string, dir: string) => ['hooks', 'add', 'repo-added', executable(dir, 'plain.sh', 0o644)],
      /^spor: not executable: .*plain\.sh\n {2}hint: make it executable: chmod \+x /,
    ],
  ])('refuses %s with exit 2, a one-line error and a hint, writing nothing', async (_what, argv, message) => {
    const {home} = tempHome();
    const dir = tempDir();
    const r = await runInProcess(argv(executable(dir), dir), {home, cwd: dir});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(readLog(home)).toEqual([]);
  });

  it('rm of an unknown id says so and exits 0; rm of a known one records hook-removed', async () => {
    const {home} = tempHome();
    const unknown = await runInProcess(['hooks', 'rm', 'h7'], {home});
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain(`no hook 'h7'; nothing to remove`);
    const path = executable(tempDir());
    await runInProcess(['hooks', 'add', 'repo-added', path], {home});
    const rm = await runInProcess(['hooks', 'rm', 'h1'], {home});
    expect(rm.stdout).toBe(`removed h1 (repo-added → ${path})\n`);
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['hook-added', {id: 'h1', event: 'repo-added', path, args: [], timeout_ms: null}],
      ['hook-removed', {id: 'h1'}],
    ]);
    expect(JSON.parse((await runInProcess(['hooks', 'list', '--json'], {home})).stdout)).toEqual([]);
  });

  it('declares hooks.timeout (30s) and hooks.maxDepth (3) as settings', async () => {
    const {home} = tempHome();
    expect((await runInProcess(['config', 'get', 'hooks.timeout'], {home})).stdout).toBe('30s\n');
    expect((await runInProcess(['config', 'get', 'hooks.maxDepth'], {home})).stdout).toBe('3\n');
    const bad = await runInProcess(['config', 'set', 'hooks.timeout', 'forever'], {home});
    expect(bad.code).toBe(2);
  });
});

describe('the hook reaction', () => {
  it('with no hook registered, a command writes only its own event and nothing on stderr', async () => {
    const {home} = tempHome();
    const r = await runInProcess(['repos', 'add', 'svc', tempDir()], {home});
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added']);
  });

  it('runs no hook at hooks.maxDepth nesting, says so once, and leaves the command alone', async () => {
    const {home} = tempHome();
    const path = executable(tempDir());
    await runInProcess(['hooks', 'add', 'repo-added', path], {home});
    const dir = tempDir();
    const r = await runInProcess(['repos', 'add', 'svc', dir], {home, env: {SPOR_HOOK_DEPTH: '3'}});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}\n`);
    expect(r.stderr).toBe('spor: hooks not run: this spor was started by a hook nested 3 deep (hooks.maxDepth is 3)\n');
    expect(readLog(home).map((e) => e.type)).toEqual(['hook-added', 'repo-added']);

    // The same process meeting more events says it only once.
    const warnings: Array<string> = [];
    const appended: Array<EventDraft> = [];
    const sink = {
      warn: (m: string) => warnings.push(m),
      append: async (d: Array<EventDraft>) => {
        appended.push(...d);
      },
    };
    const dispatcher = resolve(r.booted.container, HOOK_DISPATCHER);
    const event = readLog(home)[1] as unknown as SporEvent;
    expect(await dispatcher.run(event, sink)).toEqual([]);
    expect(await dispatcher.run(event, sink)).toEqual([]);
    expect(warnings).toEqual([]);
    expect(appended).toEqual([]);
  });

  it('hooks.maxDepth 0 turns hooks off', async () => {
    const {home} = tempHome();
    await runInProcess(['config', 'set', 'hooks.maxDepth', '0'], {home});
    await runInProcess(['hooks', 'add', 'repo-added', executable(tempDir())], {home});
    const r = await runInProcess(['repos', 'add', 'svc', tempDir()], {home});
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('spor: hooks not run: ');
    expect(readLog(home).map((e) => e.type)).toEqual(['config-set', 'hook-added', 'repo-added']);
  });
});
