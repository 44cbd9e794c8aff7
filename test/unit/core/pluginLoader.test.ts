import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {Option} from 'clipanion';
import {describe, expect, it} from 'vitest';
import {pluginApi} from '../../../core/api.js';
import {boot} from '../../../core/bootstrap.js';
import {builtinPlugins} from '../../../core/builtins.js';
import {runCli} from '../../../core/cli.js';
import {SporCommand} from '../../../core/command.js';
import {resolve} from '../../../core/di.js';
import {
  fileChecksum,
  readUserPlugins,
  shapeError,
  vetPlugin,
  type UserPluginEntry,
} from '../../../core/pluginLoader.js';
import {EVENT_CATALOG} from '../../../core/tokens.js';
import {Capture, runInProcess} from '../../helpers/inProcess.js';
import {readLog} from '../../helpers/readLog.js';
import {tempDir, tempHome} from '../../helpers/tempHome.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/plugins', import.meta.url));
const entry = (name: string, extra: Partial<UserPluginEntry> = {}): UserPluginEntry => ({
  name,
  spec: `file:${join(FIXTURES, name)}`,
  path: join(FIXTURES, name, 'index.js'),
  ...extra,
});
const writeUserPlugins = (sporHome: string, plugins: Array<unknown>): void => {
  mkdirSync(sporHome, {recursive: true});
  writeFileSync(join(sporHome, 'spor.plugins.json'), JSON.stringify({apiVersion: 1, plugins}));
};
const bootWith = async (home: string) => {
  const stderr = new Capture();
  const booted = await boot({
    env: {HOME: home, SPOR_HOME: join(home, '.spor')},
    cwd: home,
    stderr,
    builtins: builtinPlugins(),
  });
  return {...booted, warnings: stderr.text};
};

describe('shapeError / vetPlugin', () => {
  it.each([
    [null, 'the definition is not an object'],
    [[], 'the definition is not an object'],
    [{version: '1'}, `'name' must be a lower-case plugin name`],
    [{name: 'Bad Name', version: '1'}, `'name' must be a lower-case plugin name`],
    [{name: 'x', version: 1}, `'version' must be a string`],
    [{name: 'x', version: '1', commands: 'hello'}, `'commands' must be an array`],
    [{name: 'x', version: '1', commands: [class {}]}, 'commands[0] is not a command class with static paths'],
    [{name: 'x', version: '1', reactions: [{on: 3, run: () => {}}]}, 'reactions[0] is not a reaction {on, run}'],
    [
      {name: 'x', version: '1', projections: [{name: 's', version: 1, initial: () => ({})}]},
      'projections[0] is not a projection {name, version, on?, snapshotAfter?, codec?, initial, apply}',
    ],
    [
      {
        name: 'x',
        version: '1',
        projections: [{name: 's', version: 1, on: 'x-done', initial: () => ({}), apply: (st: unknown) => st}],
      },
      'projections[0] is not a projection {name, version, on?, snapshotAfter?, codec?, initial, apply}',
    ],
    [
      {
        name: 'x',
        version: '1',
        projections: [{name: 's', version: 1, snapshotAfter: 0, initial: () => ({}), apply: (st: unknown) => st}],
      },
      'projections[0] is not a projection {name, version, on?, snapshotAfter?, codec?, initial, apply}',
    ],
    [
      {
        name: 'x',
        version: '1',
        projections: [
          {name: 's', version: 1, codec: {encode: () => ({head: 1})}, initial: () => ({}), apply: (st: unknown) => st},
        ],
      },
      'projections[0] is not a projection {name, version, on?, snapshotAfter?, codec?, initial, apply}',
    ],
    [
      {name: 'x', version: '1', settings: [{key: 'k', type: 'colour', default: 1, description: ''}]},
      'settings[0] is not a setting {key, type, default, description}',
    ],
    [{name: 'x', version: '1', events: {'x-done': {v: 1}}}, `'events' must map each type to {v, data}`],
    [{name: 'x', version: '1', events: {XDone: {v: 1, data: () => true}}}, 'event types must be kebab-case'],
    [{name: 'x', version: '1', services: {}}, `'services' must be a function`],
    [{name: 'x', version: '1', contributes: {probers: {}}}, 'contributes.probers must be an array'],
    [
      {name: 'x', version: '1', contributes: {probers: [{probe: () => 1}]}},
      'contributes.probers[0] is not an item with a name',
    ],
    [
      {name: 'x', version: '1', points: {gadgets: {check: () => undefined}}},
      `'points' must map each extension point to {description, check?}`,
    ],
    [
      {name: 'x', version: '1', probers: [{name: 'p', probe: () => ({})}]},
      "'probers' is not a plugin field (items for an extension point go in `contributes: {probers: [...]}`)",
    ],
  ])('%j → %s', (definition, problem) => expect(shapeError(definition)).toBe(problem));

  it('accepts a complete definition', () => {
    expect(
      shapeError({
        name: '@acme/x',
        version: '1.0.0',
        commands: [
          class extends SporCommand {
            static override paths = [['x']];
            async execute() {
              return 0;
            }
          },
        ],
        events: {'x-done': {v: 1, data: pluginApi.t.isUnknown()}},
        reactions: [{on: ['x-done'], run: () => {}}],
        services: () => {},
      }),
    ).toBeUndefined();
  });

  it('names the first clash with what is loaded (built-ins and user plugins): name, command, event type, slice, setting', async () => {
    const {home, sporHome} = tempHome();
    writeUserPlugins(sporHome, [entry('hello-local')]);
    const {registry, container} = await bootWith(home);
    const catalog = resolve(container, EVENT_CATALOG);
    const vet = (p: object) => vetPlugin({version: '1', ...p}, registry, catalog);
    expect(vet({name: 'repos'})).toMatchObject({
      ok: false,
      problem: 'clash',
      reason: `a plugin named 'repos' is already loaded`,
    });
    expect(
      vet({
        name: 'x',
        commands: [
          class extends SporCommand {
            static override paths = [['repos', 'add']];
            async execute() {
              return 0;
            }
          },
        ],
      }),
    ).toMatchObject({ok: false, reason: `command 'repos add' is already provided by 'repos'`});
    expect(vet({name: 'x', events: {'repo-added': {v: 1, data: () => true}}})).toMatchObject({
      ok: false,
      reason: `event type 'repo-added' is already provided by 'repos'`,
    });
    expect(
      vet({name: 'x', projections: [{name: 'repos', version: 1, initial: () => ({}), apply: (s: unknown) => s}]}),
    ).toMatchObject({ok: false, reason: `state slice 'repos' is already provided by 'repos'`});
    expect(
      vet({name: 'x', settings: [{key: 'hello.greeting', type: 'string', default: '', description: ''}]}),
    ).toMatchObject({ok: false, reason: `setting 'hello.greeting' is already provided by 'hello-local'`});
    expect(
      vet({
        name: 'x',
        commands: [
          class extends SporCommand {
            static override paths = [['hello']];
            async execute() {
              return 0;
            }
          },
        ],
      }),
    ).toMatchObject({ok: false, reason: `command 'hello' is already provided by 'hello-local'`});
    expect(vet({name: 'x', events: {'x-done': {v: 1, data: () => true}}})).toMatchObject({ok: true});
    expect(vet({name: 'x', junk: true, commands: {}})).toMatchObject({ok: false, problem: 'shape'});
  });

  it('clash-checks extension points and their items by (point, name), and holds items to the owner’s check', async () => {
    const {home} = tempHome();
    const {registry, container} = await bootWith(home);
    const vet = (p: object) => vetPlugin({version: '1', ...p}, registry, resolve(container, EVENT_CATALOG));
    const adapter = {
      name: 'claude-code',
      binary: 'c',
      binarySetting: 'k',
      flags: [],
      launch: () => ({argv: []}),
      parser: () => ({line: () => undefined}),
    };
    expect(vet({name: 'x', points: {harnesses: {description: 'mine'}}})).toMatchObject({
      ok: false,
      problem: 'clash',
      reason: `extension point 'harnesses' is already owned by 'runs'`,
    });
    expect(vet({name: 'x', contributes: {harnesses: [adapter]}})).toMatchObject({
      ok: false,
      problem: 'clash',
      reason: `harnesses item 'claude-code' is already provided by 'harness-claude'`,
    });
    // The same name at another point is no clash; the runs plugin's check reads a harness's shape.
    expect(
      vet({
        name: 'x',
        contributes: {harnesses: [{...adapter, name: 'aider'}], detectors: [{name: 'claude-code', detect: () => []}]},
      }),
    ).toMatchObject({ok: true});
    expect(vet({name: 'x', contributes: {harnesses: [{...adapter, name: 'aider', flags: ['model']}]}})).toMatchObject({
      ok: false,
      problem: 'shape',
      reason:
        "contributes.harnesses[0] ('aider') is not a harness {name, binary, binarySetting, flags: [{name, description}], launch, parser}",
    });
    // A point no loaded plugin owns takes any named item (its owner may come later, or never).
    expect(vet({name: 'x', contributes: {gadgets: [{name: 'g'}]}})).toMatchObject({ok: true});
  });
});

describe('readUserPlugins', () => {
  it('a missing file is no plugins and no error', () => {
    expect(readUserPlugins(join(tempDir(), 'spor.plugins.json'))).toEqual({entries: []});
  });

  it.each(['{not json', 'null', '{"apiVersion": 1}', '{"plugins": {}}'])('%j is reported, loading none', (text) => {
    const file = join(tempDir(), 'spor.plugins.json');
    writeFileSync(file, text);
    const r = readUserPlugins(file);
    expect(r.entries).toEqual([]);
    expect(r.error).toMatch(/spor\.plugins\.json is not valid .*spor doctor --repair/);
  });

  it('skips and reports malformed entries, keeping the good ones', () => {
    const file = join(tempDir(), 'spor.plugins.json');
    const good = entry('hello-local');
    writeFileSync(file, JSON.stringify({apiVersion: 1, plugins: [{name: 'no-spec', path: '/x.js'}, good, 'junk']}));
    const r = readUserPlugins(file);
    expect(r.entries).toEqual([good]);
    expect(r.error).toMatch(/has 2 malformed entries/);
  });
});

describe('loading user plugins at start-up', () => {
  it('loads a good plugin after the built-ins and reports each bad one by name, one line each', async () => {
    const {home, sporHome} = tempHome();
    writeUserPlugins(sporHome, [
      entry('broken'),
      entry('wrong-shape'),
      entry('not-a-factory'),
      entry('clashing'),
      entry('hello-local'),
    ]);
    const {registry, warnings} = await bootWith(home);
    const byName = Object.fromEntries(registry.plugins.map((p) => [p.name, p]));
    expect(registry.plugins.map((p) => p.source)).toEqual([
      ...builtinPlugins().map(() => 'builtin'),
      'path',
      'path',
      'path',
      'path',
      'path',
    ]);
    expect(byName.broken?.error).toBe('failed to load: broken plugin exploded at import');
    expect(byName['wrong-shape']?.error).toMatch(/^exports the wrong shape: 'name' must be/);
    expect(byName['not-a-factory']?.error).toMatch(/^failed to load: must default-export a factory/);
    expect(byName.clashing?.error).toBe(`skipped: command 'repos add' is already provided by 'repos'`);
    expect(byName['hello-local']).toMatchObject({version: '1.0.0', source: 'path'});
    expect(byName['hello-local']?.error).toBeUndefined();
    const lines = warnings.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const name of ['broken', 'wrong-shape', 'not-a-factory', 'clashing']) {
      expect(
        lines.filter((l) =>
          l.startsWith(`spor: warning: plugin '${name}' (from ${join(FIXTURES, name, 'index.js')}) `),
        ),
      ).toHaveLength(1);
    }
    // A skipped plugin contributes nothing, not even the parts that did not clash.
    expect(registry.commands.get('repos add')?.plugin).toBe('repos');
    expect(registry.commands.get('hello')?.plugin).toBe('hello-local');
  });

  it('the rest of spor keeps working next to broken plugins', async () => {
    const {home, sporHome} = tempHome();
    writeUserPlugins(sporHome, [entry('broken'), entry('clashing')]);
    const dir = tempDir();
    const r = await runInProcess(['repos', 'add', 'svc', dir], {home});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}\n`);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added']);
  });

  it('an entry without a spec no longer takes start-up down with it', async () => {
    const {home, sporHome} = tempHome();
    writeUserPlugins(sporHome, [{name: 'half', path: '/x.js'}, entry('hello-local')]);
    const r = await runInProcess(['hello', '--name', 'Lin'], {home});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello, Lin! (greeting #1)\n');
    expect(r.stderr).toMatch(/^spor: warning: .*has 1 malformed entry/);
  });

  it("checks an npm plugin's checksum before importing it", async () => {
    const {home, sporHome} = tempHome();
    const dir = tempDir();
    const module = join(dir, 'index.js');
    writeFileSync(module, readFileSync(join(FIXTURES, 'hello-local', 'index.js')));
    const checksum = fileChecksum(module);
    expect(checksum).toMatch(/^sha256-[0-9a-f]{64}$/);
    writeUserPlugins(sporHome, [{name: 'hello-local', spec: 'npm:hello-local@1.0.0', path: module, checksum}]);
    const first = (await bootWith(home)).registry.plugins.at(-1);
    expect(first).toMatchObject({name: 'hello-local', source: 'npm', version: '1.0.0'});
    expect(first?.error).toBeUndefined();
    writeFileSync(module, `${readFileSync(module, 'utf8')}\n// changed\n`);
    const {registry, warnings} = await bootWith(home);
    expect(registry.plugins.at(-1)?.error).toBe(
      'failed to load: its module changed since it was added (checksum mismatch)',
    );
    expect(warnings).toContain(`plugin 'hello-local' (from ${module}) failed to load`);
    expect(registry.commands.has('hello')).toBe(false);
  });

  it('a broken spor.plugins.json leaves the built-ins working, with a warning', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome, {recursive: true});
    writeFileSync(join(sporHome, 'spor.plugins.json'), '{"apiVersion": 1, "plugins": [');
    const r = await runInProcess(['repos', 'list', '--json'], {home});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/^spor: warning: .*spor\.plugins\.json is not valid \(.*\); user plugins were not loaded/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('the host API given to user plugin factories', () => {
  it("is spor's own SporCommand and clipanion Option, so the plugin's options are parsed by the host CLI", async () => {
    const {home, sporHome} = tempHome();
    expect(pluginApi.Command).toBe(SporCommand);
    expect(pluginApi.Option).toBe(Option);
    writeUserPlugins(sporHome, [entry('hello-local')]);
    const {registry, container} = await bootWith(home);
    const hello = registry.commands.get('hello')?.command;
    expect(hello?.prototype).toBeInstanceOf(SporCommand);
    const stdout = new Capture();
    const stderr = new Capture();
    const env = {HOME: home, SPOR_HOME: sporHome};
    const code = await runCli(
      ['hello', '--name', 'Grace'],
      {stdin: new PassThrough(), stdout, stderr, env, cwd: home},
      container,
      registry,
      '0.0.0-test',
    );
    expect(stderr.text).toBe('');
    expect(code).toBe(0);
    expect(stdout.text).toBe('Hello, Grace! (greeting #1)\n');
    // The command appended through HOST, and the plugin's reaction followed up with causation.
    const log = readLog(home);
    expect(log.map((e) => [e.type, e.data])).toEqual([
      ['hello-said', {name: 'Grace'}],
      ['hello-answered', {name: 'Grace'}],
    ]);
    expect(log[1]?.causation).toBe(log[0]?.id);
  });

  it('an unknown option of a user plugin command is a usage error (exit 2), as for built-ins', async () => {
    const {home, sporHome} = tempHome();
    writeUserPlugins(sporHome, [entry('hello-local')]);
    const r = await runInProcess(['hello', '--nmae', 'x'], {home});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^spor: /);
    expect(readLog(home)).toEqual([]);
  });
});
