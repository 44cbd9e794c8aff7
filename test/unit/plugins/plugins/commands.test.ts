import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {resolve} from '../../../../core/di.js';
import {EVENT_STORE} from '../../../../core/tokens.js';
import {USER_PLUGINS_FILE} from '../../../../plugins/plugins/api.js';
import {runInProcess} from '../../../helpers/inProcess.js';
import {readLog} from '../../../helpers/readLog.js';
import {tempHome} from '../../../helpers/tempHome.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/plugins', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);
const run = (args: Array<string>, home: string) => runInProcess(args, {home});
const userFile = (sporHome: string): {apiVersion: number; plugins: Array<Record<string, unknown>>} =>
  JSON.parse(readFileSync(join(sporHome, 'spor.plugins.json'), 'utf8')) as never;

describe('spor plugins add (in process)', () => {
  it('records a directory plugin by its module path and rewrites spor.plugins.json from the slice', async () => {
    const {home, sporHome} = tempHome();
    const r = await run(['plugins', 'add', fixture('hello-local')], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`added plugin hello-local 1.0.0 from ${fixture('hello-local')}`);
    expect(r.stdout).toContain('commands: hello');
    const record = {
      name: 'hello-local',
      spec: `file:${fixture('hello-local')}`,
      path: join(fixture('hello-local'), 'index.js'),
      version: '1.0.0',
    };
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([['plugin-added', record]]);
    expect(userFile(sporHome)).toEqual({apiVersion: 1, plugins: [record]});
    expect(readdirSync(sporHome).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the next start-up loads it: its command runs with its option parsed, and list shows it', async () => {
    const {home} = tempHome();
    await run(['plugins', 'add', join(fixture('hello-local'), 'index.js')], home);
    const hello = await run(['hello', '--name', 'Ada'], home);
    expect(hello.stderr).toBe('');
    expect(hello.stdout).toBe('Hello, Ada! (greeting #1)\n');
    const rows = JSON.parse((await run(['plugins', 'list', '--json'], home)).stdout) as Array<Record<string, unknown>>;
    const fixed = {
      commands: ['hello'],
      events: ['hello-said', 'hello-answered'],
      slices: ['hello'],
      reactions: 1,
      settings: ['hello.greeting'],
      points: [],
      services: false,
    };
    // Besides those, one key per extension point a loaded plugin owns: empty for this plugin.
    const owned = rows.flatMap((p) => (p.contributes as {points: Array<string>}).points);
    expect(owned).toEqual(expect.arrayContaining(['probers', 'detectors', 'harnesses']));
    expect(rows.find((p) => p.name === 'hello-local')).toEqual({
      name: 'hello-local',
      version: '1.0.0',
      source: 'path',
      location: join(fixture('hello-local'), 'index.js'),
      loaded: true,
      error: null,
      contributes: {...fixed, ...Object.fromEntries(owned.map((point) => [point, []]))},
    });
    expect(rows.find((p) => p.name === 'harness-codex')?.contributes).toMatchObject({
      probers: ['codex'],
      harnesses: ['codex'],
    });
    expect(rows.filter((p) => p.source === 'builtin').map((p) => p.name)).toContain('plugins');
  });

  it.each([
    ['broken', /^spor: the plugin at .*broken\/index\.js failed to load: broken plugin exploded at import$/m],
    ['wrong-shape', /^spor: the plugin at .*wrong-shape\/index\.js exports the wrong shape: 'name' must be/m],
    ['not-a-factory', /^spor: the plugin at .*not-a-factory\/index\.js failed to load: must default-export a factory/m],
    [
      'clashing',
      /^spor: plugin 'clashing' clashes with a loaded plugin: command 'repos add' is already provided by 'repos'$/m,
    ],
  ])('refuses %s with exit 1, the reason and a hint, and writes nothing', async (name, reason) => {
    const {home, sporHome} = tempHome();
    const r = await run(['plugins', 'add', fixture(name)], home);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toMatch(/^ {2}hint: /m);
    expect(readLog(home)).toEqual([]);
    expect(existsSync(join(sporHome, 'spor.plugins.json'))).toBe(false);
  });

  it('refuses a name already added, with the rm hint, and appends nothing more', async () => {
    const {home} = tempHome();
    await run(['plugins', 'add', fixture('hello-local')], home);
    const again = await run(['plugins', 'add', fixture('hello-local')], home);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`spor: plugin 'hello-local' is already added (file:${fixture('hello-local')})`);
    expect(again.stderr).toContain('hint: run `spor plugins rm hello-local` first');
    expect(readLog(home)).toHaveLength(1);
  });

  it('refuses a path that does not exist with exit 2', async () => {
    const {home} = tempHome();
    const r = await run(['plugins', 'add', './nope'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`spor: no such file or directory: ${join(home, 'nope')}`);
    expect(readLog(home)).toEqual([]);
  });
});

describe('spor plugins rm (in process)', () => {
  it('records plugin-removed, drops it from the file, and it no longer loads', async () => {
    const {home, sporHome} = tempHome();
    await run(['plugins', 'add', fixture('hello-local')], home);
    const rm = await run(['plugins', 'rm', 'hello-local'], home);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toBe('removed plugin hello-local; it no longer loads\n');
    expect(readLog(home).map((e) => [e.type, e.data.name])).toEqual([
      ['plugin-added', 'hello-local'],
      ['plugin-removed', 'hello-local'],
    ]);
    expect(userFile(sporHome).plugins).toEqual([]);
    const hello = await run(['hello'], home);
    expect(hello.code).toBe(2);
    expect(hello.stderr).toContain(`unknown command 'hello'`);
  });

  it('an unknown name says so and exits 0, writing nothing', async () => {
    const {home} = tempHome();
    const r = await run(['plugins', 'rm', 'ghost'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`no user plugin 'ghost' is added; nothing to remove\n`);
    expect(readLog(home)).toEqual([]);
  });

  it('a built-in is refused, naming why', async () => {
    const {home} = tempHome();
    const r = await run(['plugins', 'rm', 'repos'], home);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^spor: 'repos' is a built-in plugin and cannot be removed\n {2}hint: /);
    expect(readLog(home)).toEqual([]);
  });

  it('removes a plugin that only a hand edit of spor.plugins.json listed', async () => {
    const {home, sporHome} = tempHome();
    await run(['plugins', 'add', fixture('hello-local')], home);
    const file = userFile(sporHome);
    file.plugins.push({name: 'broken', spec: `file:${fixture('broken')}`, path: join(fixture('broken'), 'index.js')});
    writeFileSync(join(sporHome, 'spor.plugins.json'), JSON.stringify(file));
    const rm = await run(['plugins', 'rm', 'broken'], home);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('removed plugin broken');
    expect(userFile(sporHome).plugins.map((p) => p.name)).toEqual(['hello-local']);
  });
});

describe('USER_PLUGINS_FILE', () => {
  it('rewrites a deleted or garbled file from the log, with or without the lock already held', async () => {
    const {home, sporHome} = tempHome();
    const {booted} = await run(['plugins', 'add', fixture('hello-local')], home);
    const expected = readFileSync(join(sporHome, 'spor.plugins.json'), 'utf8');
    const service = resolve(booted.container, USER_PLUGINS_FILE);
    rmSync(join(sporHome, 'spor.plugins.json'));
    await service.rewrite();
    expect(readFileSync(join(sporHome, 'spor.plugins.json'), 'utf8')).toBe(expected);
    writeFileSync(join(sporHome, 'spor.plugins.json'), '{garbled');
    await resolve(booted.container, EVENT_STORE).withLock(() => service.rewrite({locked: true}));
    expect(readFileSync(join(sporHome, 'spor.plugins.json'), 'utf8')).toBe(expected);
  });
});
