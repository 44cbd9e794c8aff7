import {createHash} from 'node:crypto';
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {ROOT, runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugins');
const fixture = (name: string): string => join(FIXTURES, name);
const userFile = (sporHome: string): {apiVersion: number; plugins: Array<Record<string, string>>} =>
  JSON.parse(readFileSync(join(sporHome, 'spor.plugins.json'), 'utf8')) as never;
const listJson = async (
  home: string,
): Promise<
  Array<{
    name: string;
    source: string;
    location: string;
    loaded: boolean;
    error: string | null;
    contributes: {commands: Array<string>};
  }>
> => JSON.parse((await runSpor(['plugins', 'list', '--json'], {home})).stdout) as never;

// npm with an environment built from nothing (no user npmrc), as in a clean CI checkout.
const npm = (args: Array<string>, opts: {cwd: string; home: string}) =>
  execa('npm', args, {
    cwd: opts.cwd,
    reject: false,
    extendEnv: false,
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.home},
  });

/** `npm pack`s a package directory into a fresh temp dir; returns the tarball's path. */
const pack = async (dir: string): Promise<string> => {
  const out = tempDir('spor-pack-');
  const r = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out, dir], {cwd: out, home: out});
  expect(r.exitCode, r.stderr).toBe(0);
  return join(out, (JSON.parse(r.stdout) as Array<{filename: string}>)[0]!.filename);
};

describe('spor plugins (built binary)', () => {
  it('adds a local plugin by path; its command runs with its option honoured; list shows it as source path', async () => {
    const {home, sporHome} = tempHome();
    const add = await runSpor(['plugins', 'add', fixture('hello-local')], {home});
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toContain('added plugin hello-local 1.0.0');
    expect(userFile(sporHome).plugins).toEqual([
      {
        name: 'hello-local',
        spec: `file:${fixture('hello-local')}`,
        path: join(fixture('hello-local'), 'index.js'),
        version: '1.0.0',
      },
    ]);

    const hello = await runSpor(['hello', '--name', 'Ada'], {home});
    expect(hello.stderr).toBe('');
    expect(hello.exitCode).toBe(0);
    expect(hello.stdout).toBe('Hello, Ada! (greeting #1)');
    expect((await runSpor(['hello'], {home})).stdout).toBe('Hello, world! (greeting #1)');
    // Its setting is a real setting, resolved through the host.
    expect((await runSpor(['hello', '--name', 'Ada'], {home, env: {SPOR_HELLO_GREETING: 'Ahoy'}})).stdout).toBe(
      'Ahoy, Ada! (greeting #2)',
    );

    const row = (await listJson(home)).find((p) => p.name === 'hello-local');
    expect(row).toMatchObject({
      source: 'path',
      location: join(fixture('hello-local'), 'index.js'),
      loaded: true,
      error: null,
      contributes: {commands: ['hello']},
    });
    const log = readLog(home);
    expect(log.map((e) => e.type)).toEqual([
      'plugin-added',
      'hello-said',
      'hello-answered',
      'hello-said',
      'hello-answered',
      'hello-said',
      'hello-answered',
    ]);
    expect(log[2]?.causation).toBe(log[1]?.id);
  });

  it.each(['broken', 'wrong-shape', 'clashing'])(
    'refuses to add %s: exit 1, the reason on stderr, nothing written',
    async (name) => {
      const {home, sporHome} = tempHome();
      const r = await runSpor(['plugins', 'add', fixture(name)], {home});
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^spor: .*(failed to load|wrong shape|clashes)/);
      expect(r.stderr).toMatch(/\n {2}hint: /);
      expect(readLog(home)).toEqual([]);
      expect(existsSync(join(sporHome, 'spor.plugins.json'))).toBe(false);
    },
  );

  it('a hand-edited broken entry: every command still works with a one-line warning; list shows the error; rm removes it', async () => {
    const {home, sporHome} = tempHome();
    await runSpor(['plugins', 'add', fixture('hello-local')], {home});
    const file = userFile(sporHome);
    file.plugins.unshift({
      name: 'broken',
      spec: `file:${fixture('broken')}`,
      path: join(fixture('broken'), 'index.js'),
    });
    writeFileSync(join(sporHome, 'spor.plugins.json'), JSON.stringify(file, null, 2));
    const warning = `spor: warning: plugin 'broken' (from ${join(fixture('broken'), 'index.js')}) failed to load: broken plugin exploded at import`;

    const dir = tempDir();
    for (const args of [
      ['repos', 'add', 'svc', dir],
      ['repos', 'list', '--json'],
      ['hello', '--name', 'Bo'],
      ['config', 'get', 'hello.greeting'],
    ]) {
      const r = await runSpor(args, {home});
      expect(r.exitCode, args.join(' ')).toBe(0);
      expect(r.stderr).toBe(warning);
    }
    const row = (await listJson(home)).find((p) => p.name === 'broken');
    expect(row).toMatchObject({
      source: 'path',
      loaded: false,
      error: 'failed to load: broken plugin exploded at import',
      contributes: {commands: []},
    });

    const rm = await runSpor(['plugins', 'rm', 'broken'], {home});
    expect(rm.exitCode).toBe(0);
    expect(userFile(sporHome).plugins.map((p) => p.name)).toEqual(['hello-local']);
    const after = await runSpor(['hello', '--name', 'Bo'], {home});
    expect(after.stderr).toBe('');
    expect(after.stdout).toBe('Hello, Bo! (greeting #2)');
  });

  it('rm of an added plugin records plugin-removed and the file no longer lists it; unknown names exit 0; built-ins are refused', async () => {
    const {home, sporHome} = tempHome();
    await runSpor(['plugins', 'add', fixture('hello-local')], {home});
    const rm = await runSpor(['plugins', 'rm', 'hello-local'], {home});
    expect(rm.exitCode).toBe(0);
    expect(userFile(sporHome).plugins).toEqual([]);
    expect(readLog(home).map((e) => [e.type, e.data.name])).toEqual([
      ['plugin-added', 'hello-local'],
      ['plugin-removed', 'hello-local'],
    ]);
    expect((await runSpor(['hello'], {home})).exitCode).toBe(2);

    const ghost = await runSpor(['plugins', 'rm', 'hello-local'], {home});
    expect(ghost.exitCode).toBe(0);
    expect(ghost.stdout).toBe(`no user plugin 'hello-local' is added; nothing to remove`);
    const builtin = await runSpor(['plugins', 'rm', 'plugins'], {home});
    expect(builtin.exitCode).toBe(1);
    expect(builtin.stderr.split('\n')[0]).toBe(`spor: 'plugins' is a built-in plugin and cannot be removed`);
    expect(readLog(home)).toHaveLength(2);
  });

  it('concurrent adds all land in spor.plugins.json, in the order the log recorded them', async () => {
    const {home, sporHome} = tempHome();
    const dir = tempDir();
    const names = Array.from({length: 6}, (_, i) => `tiny-${i}`);
    for (const name of names) {
      writeFileSync(
        join(dir, `${name}.mjs`),
        `export default (spor) => spor.definePlugin({name: '${name}', version: '0.0.1'});\n`,
      );
    }
    const results = await Promise.all(
      names.map((name) => runSpor(['plugins', 'add', join(dir, `${name}.mjs`)], {home})),
    );
    expect(results.map((r) => r.exitCode)).toEqual(names.map(() => 0));
    const logged = readLog(home).map((e) => e.data.name);
    expect([...logged].sort()).toEqual(names);
    expect(userFile(sporHome).plugins.map((p) => p.name)).toEqual(logged);
  });

  it('a spor.plugins.json that is not JSON leaves the built-ins working with a warning; the next add rewrites it', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome, {recursive: true, mode: 0o700});
    writeFileSync(join(sporHome, 'spor.plugins.json'), '{"apiVersion": 1, "plugins": [');
    const r = await runSpor(['repos', 'list'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('no repos mapped yet');
    expect(r.stderr).toMatch(
      /^spor: warning: .*spor\.plugins\.json is not valid \(.*\); user plugins were not loaded — run `spor doctor --repair` to rewrite it$/,
    );
    expect((await listJson(home)).every((p) => p.source === 'builtin')).toBe(true);

    expect((await runSpor(['plugins', 'add', fixture('hello-local')], {home})).exitCode).toBe(0);
    expect(userFile(sporHome).plugins.map((p) => p.name)).toEqual(['hello-local']);
    expect((await runSpor(['hello'], {home})).stderr).toBe('');
  });
});

describe('spor plugins add <npm tarball> (built binary)', () => {
  it('installs with --ignore-scripts, records the checksum, and the plugin loads as source npm', async () => {
    const {home, sporHome} = tempHome();
    const tarball = await pack(fixture('npm-hello'));

    // The fixture's install scripts do run when npm is allowed to: the marker proves they exist.
    const control = tempDir();
    expect(
      (
        await npm(['install', '--prefix', join(control, 'prefix'), '--no-audit', '--no-fund', tarball], {
          cwd: control,
          home: control,
        })
      ).exitCode,
    ).toBe(0);
    expect(readFileSync(join(control, 'install-script-ran'), 'utf8')).toBe('postinstall');

    const add = await runSpor(['plugins', 'add', tarball], {home});
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toContain(`added plugin npm-hello 2.3.4 from ${tarball}`);
    expect(existsSync(join(home, 'install-script-ran'))).toBe(false);

    const module = join(sporHome, 'plugins', 'node_modules', 'spor-plugin-npm-hello', 'plugin.js');
    const checksum = `sha256-${createHash('sha256').update(readFileSync(module)).digest('hex')}`;
    expect(userFile(sporHome).plugins).toEqual([
      {name: 'npm-hello', spec: `npm:${tarball}`, path: module, version: '2.3.4', checksum},
    ]);
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['plugin-added', {name: 'npm-hello', spec: `npm:${tarball}`, path: module, version: '2.3.4', checksum}],
    ]);

    const run = await runSpor(['npm-hello', '--shout'], {home});
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('HELLO FROM NPM');
    expect((await listJson(home)).find((p) => p.name === 'npm-hello')).toMatchObject({
      source: 'npm',
      location: module,
      loaded: true,
    });

    // Adding the same package again is refused before npm runs.
    const again = await runSpor(['plugins', 'add', tarball], {home});
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('hint: run `spor plugins rm npm-hello` first');

    // A module changed after it was added no longer loads; the rest of spor does.
    writeFileSync(module, `${readFileSync(module, 'utf8')}\n// tampered\n`);
    const tampered = await runSpor(['repos', 'list', '--json'], {home});
    expect(tampered.exitCode).toBe(0);
    expect(tampered.stderr).toBe(
      `spor: warning: plugin 'npm-hello' (from ${module}) failed to load: its module changed since it was added (checksum mismatch)`,
    );
  });

  it('a package whose plugin does not load is refused and its install rolled back', async () => {
    const {home, sporHome} = tempHome();
    const pkg = tempDir();
    cpSync(join(fixture('broken'), 'index.js'), join(pkg, 'index.js'));
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({name: 'spor-plugin-broken', version: '0.0.1', type: 'module'}),
    );
    const add = await runSpor(['plugins', 'add', await pack(pkg)], {home});
    expect(add.exitCode).toBe(1);
    expect(add.stderr).toMatch(
      /^spor: the plugin at .*spor-plugin-broken\/index\.js failed to load: broken plugin exploded at import/,
    );
    expect(readLog(home)).toEqual([]);
    expect(existsSync(join(sporHome, 'spor.plugins.json'))).toBe(false);
    expect(existsSync(join(sporHome, 'plugins', 'node_modules', 'spor-plugin-broken'))).toBe(false);
    expect(existsSync(join(sporHome, 'plugins', 'package.json'))).toBe(false);
  });
});
