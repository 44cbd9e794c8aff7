import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {boot} from '../../../core/bootstrap.js';
import {builtinPlugins, type BuiltinPlugin} from '../../../core/builtins.js';
import {resolve, token} from '../../../core/di.js';
import {describeRegistry, type PluginManifest} from '../../../core/manifest.js';
import {EVENT_CATALOG, EVENT_STORE, HOST} from '../../../core/tokens.js';
import {QUEUE_RANKER} from '../../../plugins/graph/api.js';
import {HARNESSES} from '../../../plugins/runs/api.js';
import {Capture, runInProcess} from '../../helpers/inProcess.js';
import {readLog} from '../../helpers/readLog.js';
import {tempDir, tempHome} from '../../helpers/tempHome.js';

/**
 * The built-ins as the CLI bundle hands them over: each with the manifest an eager boot wrote
 * down, and a synchronous loader that counts how often each plugin was evaluated.
 */
const lazyBuiltins = async (): Promise<{builtins: Array<BuiltinPlugin>; loads: Map<string, number>}> => {
  const eager = builtinPlugins();
  const modules = await Promise.all(eager.map((b) => b.load()));
  const {registry} = await boot({
    env: {HOME: '/nonexistent'},
    cwd: '/',
    stderr: new Capture(),
    builtins: eager,
    userPlugins: false,
  });
  const manifests = describeRegistry(registry);
  const loads = new Map<string, number>();
  const builtins = eager.map((b, i) => {
    const manifest = manifests[i] as PluginManifest;
    const loadSync = (): unknown => {
      loads.set(manifest.name, (loads.get(manifest.name) ?? 0) + 1);
      return modules[i];
    };
    return {location: b.location, manifest, loadSync, load: async () => loadSync()};
  });
  return {builtins, loads};
};

describe('describeRegistry', () => {
  it("writes down each built-in's contributions as plain data", async () => {
    const {builtins} = await lazyBuiltins();
    const repos = builtins.find((b) => b.manifest?.name === 'repos')?.manifest;
    expect(repos?.commands).toContainEqual(['repos', 'repos list']);
    expect(repos?.events['repo-added']).toEqual({v: expect.any(Number)});
    expect(repos?.projections).toEqual(['repos']);
    const dispatch = builtins.find((b) => b.manifest?.name === 'dispatch')?.manifest;
    expect(dispatch?.events['dispatch-started']).toEqual({v: expect.any(Number), gating: true});
    const graph = builtins.find((b) => b.manifest?.name === 'graph')?.manifest;
    expect(graph?.tokens).toEqual(expect.arrayContaining(['spor.graph.QueueRanker', 'spor.graph.GraphReader']));
    const runs = builtins.find((b) => b.manifest?.name === 'runs')?.manifest;
    expect(runs?.points).toEqual({
      harnesses: {description: expect.any(String)},
      runCompanions: {description: expect.any(String)},
    });
    const remote = builtins.find((b) => b.manifest?.name === 'remote')?.manifest;
    expect(remote?.contributes.runCompanions).toEqual([{name: 'team-lease'}]);
    const codex = builtins.find((b) => b.manifest?.name === 'harness-codex')?.manifest;
    expect(codex?.contributes.harnesses).toEqual([
      {
        name: 'codex',
        binary: 'codex',
        binarySetting: 'harness.codex.binary',
        flags: [
          {name: 'sandbox', description: expect.any(String)},
          {name: 'approval-policy', description: expect.any(String)},
        ],
        helpArgs: ['exec', '--help'],
        envVars: ['OPENAI_*', 'CODEX_*'],
      },
    ]);
    expect(codex?.contributes.probers).toEqual([{name: 'codex'}]);
    expect(JSON.parse(JSON.stringify(builtins.map((b) => b.manifest)))).toEqual(builtins.map((b) => b.manifest));
  });
});

describe('lazily registered built-ins', () => {
  it('evaluate no plugin at boot, yet know every command, setting, event type and slice', async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {registry, container} = await boot({
      env: {HOME: '/nonexistent'},
      cwd: '/',
      stderr: new Capture(),
      builtins,
      userPlugins: false,
    });
    expect(loads.size).toBe(0);
    expect(registry.commands.get('repos add')?.plugin).toBe('repos');
    expect(registry.settings.get('hooks.timeout')?.setting.default).toBe('30s');
    expect(registry.projections.has('graph')).toBe(true);
    const catalog = resolve(container, EVENT_CATALOG);
    expect(catalog.owner('node-added')).toBe('graph');
    expect(catalog.versionOf('repo-added')).toBeGreaterThan(0);
    expect(catalog.isGating('dispatch-started')).toBe(true);
    expect(loads.size).toBe(0);
    expect(
      catalog.isValid({
        id: 'x',
        seq: 1,
        type: 'repo-added',
        v: catalog.versionOf('repo-added') as number,
        at: '',
        actor: '',
        data: {nope: 1},
      }),
    ).toBe(false);
    expect([...loads]).toEqual([['repos', 1]]);
  });

  it('a command evaluates only the plugins it uses, once each, and behaves as with eager loading', async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {home} = tempHome();
    const dir = tempDir();
    const added = await runInProcess(['repos', 'add', 'svc', dir], {home, builtins});
    expect(added.stdout).toBe(`mapped svc → ${dir}\n`);
    expect(added.code).toBe(0);
    // Hooks react to every event (and read their time limit, a setting).
    expect([...loads.keys()].sort()).toEqual(['hooks', 'repos', 'settings']);
    loads.clear();
    const listed = await runInProcess(['repos', 'list', '--json'], {home, builtins});
    expect(JSON.parse(listed.stdout)).toEqual([{slug: 'svc', path: dir}]);
    expect([...loads]).toEqual([['repos', 1]]);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added']);
  });

  it('folding a slice neither validates nor evaluates the owners of events it does not read', async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {home, sporHome} = tempHome();
    const {container} = await boot({
      env: {HOME: home, SPOR_HOME: sporHome},
      cwd: home,
      stderr: new Capture(),
      builtins,
      userPlugins: false,
    });
    const store = resolve(container, EVENT_STORE);
    await store.append([
      {type: 'config-set', data: {key: 'hooks.timeout', value: '5s'}},
      {type: 'repo-added', data: {slug: 'api', path: '/src/api'}},
    ]);
    expect(loads.size).toBe(0);
    expect((await resolve(container, HOST).read(['repos'])).repos.bySlug).toEqual({api: '/src/api'});
    expect([...loads]).toEqual([['repos', 1]]);
  });

  it('knows every extension point and item from the manifests, their data without evaluating, an item by evaluating its contributor', async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {registry} = await boot({
      env: {HOME: '/nonexistent'},
      cwd: '/',
      stderr: new Capture(),
      builtins,
      userPlugins: false,
    });
    expect(registry.points.get('harnesses')?.plugin).toBe('runs');
    expect(registry.points.get('probers')?.plugin).toBe('capabilities');
    expect(registry.points.get('detectors')?.plugin).toBe('repos');
    const claude = registry.contributions.get('harnesses')?.get('claude-code');
    expect(claude?.plugin).toBe('harness-claude');
    expect(claude?.data).toMatchObject({
      binary: 'claude',
      flags: [
        {name: 'permission-mode', description: expect.any(String)},
        {name: 'agent', description: expect.any(String)},
      ],
    });
    expect(registry.contributed('probers').map((c) => c.data.name)).toEqual(
      expect.arrayContaining(['claude-code', 'claude-config', 'codex', 'gemini']),
    );
    expect(loads.size).toBe(0);
    expect(typeof HARNESSES.get(registry, 'claude-code')?.launch).toBe('function');
    expect([...loads]).toEqual([['harness-claude', 1]]);
  });

  it('a service token loads its plugin when resolved', async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {home, sporHome} = tempHome();
    const {container} = await boot({
      env: {HOME: home, SPOR_HOME: sporHome},
      cwd: home,
      stderr: new Capture(),
      builtins,
      userPlugins: false,
    });
    const ranker = resolve(container, QUEUE_RANKER);
    expect(typeof ranker.rank).toBe('function');
    expect([...loads]).toEqual([['graph', 1]]);
    expect(resolve(container, QUEUE_RANKER)).toBe(ranker);
    expect(typeof resolve(container, HOST).read).toBe('function');
  });

  it("a token registered after a built-in's placeholder keeps winning once the built-in loads", async () => {
    const {builtins, loads} = await lazyBuiltins();
    const {home, sporHome} = tempHome();
    const {container, registry} = await boot({
      env: {HOME: home, SPOR_HOME: sporHome},
      cwd: home,
      stderr: new Capture(),
      builtins,
      userPlugins: false,
    });
    const mine = {rank: () => ({items: [], counts: {open: 0, shown: 0, blocked: 0, dormant: 0, filtered: 0}})};
    // What a user plugin's services(r) does.
    container.register(QUEUE_RANKER, {useValue: mine});
    registry.registered(QUEUE_RANKER, 'my-ranker');
    expect(resolve(container, QUEUE_RANKER)).toBe(mine);
    void registry.commands.get('next')?.command;
    expect(loads.get('graph')).toBe(1);
    expect(resolve(container, QUEUE_RANKER)).toBe(mine);
  });

  it('a module that no longer matches its manifest is refused by name', async () => {
    const {builtins} = await lazyBuiltins();
    const stale = builtins.map((b) =>
      b.manifest?.name === 'repos'
        ? {...b, manifest: {...b.manifest, commands: [...b.manifest.commands, ['repos frobnicate']]}}
        : b,
    );
    const {registry} = await boot({
      env: {HOME: '/nonexistent'},
      cwd: '/',
      stderr: new Capture(),
      builtins: stale,
      userPlugins: false,
    });
    expect(() => registry.commands.get('repos frobnicate')?.command).toThrow(
      /built-in plugin 'repos' does not match its manifest \(commands\); rebuild spor/,
    );
  });

  it('a token its plugin no longer registers fails clearly instead of resolving itself forever', async () => {
    const {builtins} = await lazyBuiltins();
    const ghost = token<unknown>('spor.repos.Ghost');
    const stale = builtins.map((b) =>
      b.manifest?.name === 'repos' ? {...b, manifest: {...b.manifest, tokens: ['spor.repos.Ghost']}} : b,
    );
    const {container} = await boot({
      env: {HOME: '/nonexistent', SPOR_HOME: join(tempDir(), '.spor')},
      cwd: '/',
      stderr: new Capture(),
      builtins: stale,
      userPlugins: false,
    });
    expect(() => container.resolve(ghost)).toThrow(
      /built-in plugin 'repos' did not register spor\.repos\.Ghost; rebuild spor/,
    );
  });
});
