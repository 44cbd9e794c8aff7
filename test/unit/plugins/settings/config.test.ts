import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {builtinPlugins} from '../../../../core/builtins.js';
import {resolve} from '../../../../core/di.js';
import {definePlugin} from '../../../../core/plugin.js';
import {HOST} from '../../../../core/tokens.js';
import {runInProcess} from '../../../helpers/inProcess.js';
import {readLog} from '../../../helpers/readLog.js';
import {tempDir, tempHome} from '../../../helpers/tempHome.js';

// A plugin declaring one key of each type, so these tests do not depend on other plugins' keys.
const declaring = definePlugin({
  name: 'declaring',
  version: '1.0.0',
  settings: [
    {key: 'demo.name', type: 'string', default: 'ada', description: 'a name', repoSafe: true},
    {key: 'demo.count', type: 'number', default: 3, description: 'a count'},
    {key: 'demo.enabled', type: 'boolean', default: false, description: 'a switch', repoSafe: true},
    {key: 'demo.wait', type: 'duration', default: '30s', description: 'a wait'},
    {key: 'demo.command', type: 'string', default: '', description: 'a command to run (never from a repo)'},
    {
      key: 'demo.moved',
      aliases: ['old.moved', 'older.moved'],
      type: 'string',
      default: 'd',
      description: 'a key that had other names',
      repoSafe: true,
    },
  ],
});
const builtins = [...builtinPlugins(), {location: './test/declaring', load: async () => ({default: declaring})}];
const run = (args: Array<string>, opts: {home: string; cwd?: string; env?: Record<string, string>}) =>
  runInProcess(args, {...opts, builtins});

/** Appends a config-set as it stands, as a spor from before a key was renamed recorded it. */
const recordRaw = async (home: string, key: string, value: string): Promise<void> => {
  const {booted} = await run(['config', 'list'], {home});
  await resolve(booted.container, HOST).append([{type: 'config-set', data: {key, value}}]);
};

describe('spor config', () => {
  it('set records config-set, get prints the value, list says where it came from', async () => {
    const {home} = tempHome();
    const set = await run(['config', 'set', 'demo.count', '7'], {home});
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('demo.count = 7\n');
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([['config-set', {key: 'demo.count', value: 7}]]);
    expect((await run(['config', 'get', 'demo.count'], {home})).stdout).toBe('7\n');
    const list = JSON.parse((await run(['config', 'list', '--json'], {home})).stdout) as Array<{
      key: string;
      value: unknown;
      source: string;
    }>;
    expect(list.find((s) => s.key === 'demo.count')).toMatchObject({
      value: 7,
      source: 'machine',
      type: 'number',
      default: 3,
    });
    expect(list.find((s) => s.key === 'demo.name')).toMatchObject({value: 'ada', source: 'default'});
  });

  it('setting the value already set writes nothing and says so', async () => {
    const {home} = tempHome();
    await run(['config', 'set', 'demo.enabled', 'true'], {home});
    const again = await run(['config', 'set', 'demo.enabled', 'yes'], {home});
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already true');
    expect(readLog(home)).toHaveLength(1);
  });

  it('unset returns to the default; unsetting an unset key writes nothing', async () => {
    const {home} = tempHome();
    await run(['config', 'set', 'demo.wait', '2m'], {home});
    expect((await run(['config', 'unset', 'demo.wait'], {home})).stdout).toContain('unset (default: 30s)');
    expect((await run(['config', 'get', 'demo.wait'], {home})).stdout).toBe('30s\n');
    const noop = await run(['config', 'unset', 'demo.wait'], {home});
    expect(noop.code).toBe(0);
    expect(noop.stdout).toContain('was not set');
    expect(readLog(home).map((e) => e.type)).toEqual(['config-set', 'config-unset']);
  });

  it('refuses an unknown key with exit 2, the list of known keys, and writes nothing', async () => {
    const {home} = tempHome();
    const r = await run(['config', 'set', 'demo.colour', 'red'], {home});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`spor: unknown setting 'demo.colour'`);
    expect(r.stderr).toMatch(/hint: known settings: .*demo\.count.*demo\.name/);
    expect(readLog(home)).toEqual([]);
  });

  it.each([
    ['demo.count', 'many', /demo\.count must be a number/],
    ['demo.enabled', 'perhaps', /demo\.enabled must be true or false/],
    ['demo.wait', 'soon', /demo\.wait must be a duration/],
  ])('refuses a value of the wrong type for %s', async (key, value, message) => {
    const {home} = tempHome();
    const r = await run(['config', 'set', key, value], {home});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readLog(home)).toEqual([]);
  });

  it('resolves flag > env > repo .spor.json (repo-safe keys only) > machine > default', async () => {
    const {home} = tempHome();
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'sub'));
    writeFileSync(
      join(repo, '.spor.json'),
      JSON.stringify({demo: {name: 'from-repo', command: 'rm -rf /'}, 'demo.enabled': true}),
    );
    await run(['config', 'set', 'demo.name', 'from-machine'], {home});
    await run(['config', 'set', 'demo.command', 'machine-cmd'], {home});
    const get = async (key: string, env: Record<string, string> = {}) =>
      JSON.parse((await run(['config', 'get', key, '--json'], {home, cwd: join(repo, 'sub'), env})).stdout) as {
        value: unknown;
        source: string;
        origin?: string;
      };
    expect(await get('demo.name')).toMatchObject({
      value: 'from-repo',
      source: 'repo',
      origin: join(repo, '.spor.json'),
    });
    expect(await get('demo.name', {SPOR_DEMO_NAME: 'from-env'})).toMatchObject({
      value: 'from-env',
      source: 'env',
      origin: 'SPOR_DEMO_NAME',
    });
    expect(await get('demo.enabled')).toMatchObject({value: true, source: 'repo'});
    // A key that is not repo-safe is never taken from the repository.
    expect(await get('demo.command')).toMatchObject({value: 'machine-cmd', source: 'machine'});
    expect(await get('demo.count')).toMatchObject({value: 3, source: 'default'});
  });

  it('names the variable when an environment value has the wrong type', async () => {
    const {home} = tempHome();
    const r = await run(['config', 'get', 'demo.count'], {home, env: {SPOR_DEMO_COUNT: 'lots'}});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SPOR_DEMO_COUNT must be a number');
  });

  it('reads a renamed key under its old names in every layer, the new name first within a layer', async () => {
    const {home} = tempHome();
    const repo = tempDir('spor-repo-');
    mkdirSync(join(repo, '.git'));
    const get = async (key: string, opts: {env?: Record<string, string>; cwd?: string} = {}) =>
      JSON.parse((await run(['config', 'get', key, '--json'], {home, ...opts})).stdout) as Record<string, unknown>;
    // What a spor from before the rename recorded: the value under an old name.
    await recordRaw(home, 'older.moved', 'was-set');
    expect(await get('demo.moved')).toMatchObject({value: 'was-set', source: 'machine'});
    expect(await get('old.moved')).toMatchObject({key: 'demo.moved', value: 'was-set'});
    await recordRaw(home, 'old.moved', 'newer-alias');
    expect(await get('demo.moved')).toMatchObject({value: 'newer-alias'});
    expect(await get('demo.moved', {env: {SPOR_OLD_MOVED: 'old-env'}})).toMatchObject({
      value: 'old-env',
      source: 'env',
      origin: 'SPOR_OLD_MOVED',
    });
    expect(await get('demo.moved', {env: {SPOR_OLD_MOVED: 'old-env', SPOR_DEMO_MOVED: 'new-env'}})).toMatchObject({
      value: 'new-env',
      origin: 'SPOR_DEMO_MOVED',
    });
    writeFileSync(join(repo, '.spor.json'), JSON.stringify({old: {moved: 'old-repo'}}));
    expect(await get('demo.moved', {cwd: repo})).toMatchObject({value: 'old-repo', source: 'repo'});
    writeFileSync(join(repo, '.spor.json'), JSON.stringify({old: {moved: 'old-repo'}, demo: {moved: 'new-repo'}}));
    expect(await get('demo.moved', {cwd: repo})).toMatchObject({value: 'new-repo', source: 'repo'});
  });

  it('set and unset record the new name, and clear what this machine holds under an old one', async () => {
    const {home} = tempHome();
    await recordRaw(home, 'old.moved', 'legacy');
    const set = await run(['config', 'set', 'old.moved', 'fresh'], {home});
    expect(set.stdout).toBe('demo.moved = fresh\n');
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['config-set', {key: 'old.moved', value: 'legacy'}],
      ['config-set', {key: 'demo.moved', value: 'fresh'}],
      ['config-unset', {key: 'old.moved'}],
    ]);
    await recordRaw(home, 'older.moved', 'legacy');
    expect((await run(['config', 'unset', 'demo.moved'], {home})).code).toBe(0);
    expect(
      readLog(home)
        .slice(-2)
        .map((e) => [e.type, e.data]),
    ).toEqual([
      ['config-unset', {key: 'demo.moved'}],
      ['config-unset', {key: 'older.moved'}],
    ]);
    expect((await run(['config', 'get', 'demo.moved'], {home})).stdout).toBe('d\n');
  });

  it('refuses to set a key another command records (agent.current, by `spor agent use`), and writes nothing', async () => {
    const {home} = tempHome();
    const r = await run(['config', 'set', 'dispatch.agent', 'agent-x'], {home});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'spor: agent.current is recorded by its own command on this machine\n  hint: use `spor agent use` (or SPOR_AGENT_CURRENT for one call)\n',
    );
    expect(readLog(home)).toEqual([]);
  });
});
