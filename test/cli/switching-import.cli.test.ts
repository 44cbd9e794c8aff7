// Issue 12 item 1: a user switching from the reference Spor CLI brings its home across. The home
// is laid out as the reference keeps it: $SPOR_HOME/config.json (dispatch.repos, dispatch.agent,
// dispatch.capabilities with probed/declared/deny, dispatch.worktree, dispatch.worktreeSetup, …)
// and the graph as markdown files in $SPOR_HOME/nodes/.
import {cpSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, stubPath} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const PRICING = '/work/shared/interop/spor-graphs/pricing';

/** A reference Spor home: config.json as given, and the pricing graph plus an agent node in nodes/. */
const referenceHome = (config: unknown): {ref: string; web: string} => {
  const ref = tempDir('spor-ref-home-');
  const web = gitRepo('web');
  mkdirSync(join(ref, 'nodes'));
  cpSync(PRICING, join(ref, 'nodes'), {recursive: true});
  writeFileSync(
    join(ref, 'nodes', 'agent-jo-laptop.md'),
    '---\nid: agent-jo-laptop\ntype: agent\ntitle: jo-laptop\ndate: 2026-06-01\n---\n',
  );
  writeFileSync(
    join(ref, 'config.json'),
    typeof config === 'string' ? config : JSON.stringify(config, null, 2).replaceAll('$WEB', web),
  );
  return {ref, web};
};

const CONFIG = {
  dispatch: {
    repos: {web: '$WEB'},
    agent: 'agent-jo-laptop',
    capabilities: {
      probed: {harnesses: ['claude-code'], at: '2026-06-01T00:00:00Z'},
      declared: {reachable_mcp: ['spor', 'linear'], skills: ['pdf']},
      deny: ['profile-gpu'],
    },
    worktree: true,
    worktreeSetup: 'scripts/setup --fast',
    bgDefaults: {quiet: true},
  },
};

describe('spor import --from <reference home> (issue 12 item 1)', () => {
  it('brings config.json and nodes/ across as events of their owners, in one batch; a second run changes nothing', async () => {
    const {home} = tempHome();
    const {ref, web} = referenceHome(CONFIG);
    const spor = (args: Array<string>) => runSpor(args, {home, env: {PATH: stubPath()}});
    const r = await spor(['import', '--from', ref]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('10 files: 10 imported');
    expect(r.stdout).toMatch(/imported {3}dispatch\.repos\.web +web → /);
    expect(r.stdout).toMatch(/skipped {4}dispatch\.capabilities\.probed +a probe cache/);
    expect(r.stdout).toMatch(/skipped {4}dispatch\.bgDefaults +spor has no equivalent/);
    const log = readLog(home) as Array<{type: string; data: Record<string, unknown>; b?: number; seq: number}>;
    // One batch: every record carries the batch's last seq.
    expect(log.slice(0, -1).every((e) => e.b === log.at(-1)?.seq)).toBe(true);
    const types = new Set(log.map((e) => e.type));
    for (const t of ['node-added', 'repo-added', 'agent-used', 'capabilities-declared', 'profile-denied', 'config-set'])
      expect(types).toContain(t);
    expect(log.find((e) => e.type === 'repo-added')?.data).toEqual({slug: 'web', path: web});
    expect(JSON.parse((await spor(['config', 'get', 'agent.current', '--json'])).stdout).value).toBe('agent-jo-laptop');
    expect(JSON.parse((await spor(['config', 'get', 'worktree.enabled', '--json'])).stdout).value).toBe(true);
    const caps = (await spor(['capabilities', 'list'])).stdout;
    expect(caps).toMatch(/linear +declared/);
    expect(caps).toContain('profile-gpu');
    // The graph came across and reads as it does in the reference.
    expect(JSON.parse((await spor(['brief', 'task-pricing-rollout', '--json'])).stdout).sections.pinned).toEqual([
      'q-tier-pricing',
    ]);

    const count = readLog(home).length;
    const again = await spor(['import', '--from', ref]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to import; everything is already here');
    expect(readLog(home)).toHaveLength(count);
  });

  it('the setup command is NOT approved to run: recorded as pending, said so, and dispatch runs no setup', async () => {
    const {home} = tempHome();
    const {ref} = referenceHome(CONFIG);
    const spor = (args: Array<string>) => runSpor(args, {home, env: {PATH: stubPath()}});
    const r = await spor(['import', '--from', ref]);
    expect(r.stderr).toContain(
      "spor: worktree.setup 'scripts/setup --fast' NOT applied: a command to run is never applied from another tool's config",
    );
    expect(r.stderr).toContain("spor config set worktree.setup 'scripts/setup --fast'");
    expect(JSON.parse((await spor(['config', 'get', 'worktree.setup', '--json'])).stdout).value).toBe('');
    expect(readLog(home).find((e) => e.type === 'home-imported')?.data).toMatchObject({
      pending: {'worktree.setup': 'scripts/setup --fast'},
    });
    const plan = JSON.parse((await spor(['dispatch', 'x', '--slug', 'web', '--print', '--json'])).stdout);
    expect(plan.setup).toBeNull();
  });

  it('what this machine already holds is kept: a slug mapped here to another checkout', async () => {
    const {home} = tempHome();
    const {ref} = referenceHome(CONFIG);
    const mine = gitRepo('web');
    const spor = (args: Array<string>) => runSpor(args, {home, env: {PATH: stubPath()}});
    await spor(['repos', 'add', 'web', mine]);
    const r = await spor(['import', '--from', ref]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/kept {7}dispatch\.repos\.web +web is mapped here to /);
    expect(JSON.parse((await spor(['repos', '--json'])).stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({slug: 'web', path: mine})]),
    );
  });

  it('a malformed config.json is a clear error and nothing is half-imported (not even the nodes)', async () => {
    for (const [config, message] of [
      ['{"dispatch": {"repos": {"web": "/x",}}}', /config\.json is not valid JSON/],
      [{dispatch: {repos: {web: 42}}}, /config\.json: dispatch\.repos\.web must be a directory path, not number/],
      [{dispatch: {worktree: 'yes'}}, /config\.json: dispatch\.worktree must be true or false, not string/],
      [{dispatch: {capabilities: {deny: 'profile-x'}}}, /dispatch\.capabilities\.deny must be a list of strings/],
      [{dispatch: {capabilities: {declared: {skills: ['has space']}}}}, /dispatch\.capabilities\.declared\.skills: /],
    ] as const) {
      const {home, sporHome} = tempHome();
      const {ref} = referenceHome(config);
      const r = await runSpor(['import', '--from', ref], {home});
      expect(r.exitCode, String(message)).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(message);
      expect(r.stderr).toContain(
        'hint: fix the file (or move it aside) and run the import again; nothing was imported',
      );
      expect(readLog(home)).toEqual([]);
      void sporHome;
    }
  });

  it('spor doctor mentions an unimported config.json in $SPOR_HOME (the reference keeps its home there too), and not once imported', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome, {recursive: true});
    writeFileSync(join(sporHome, 'config.json'), JSON.stringify({dispatch: {worktree: true}}));
    const before = await runSpor(['doctor'], {home});
    expect(before.exitCode).toBe(0);
    expect(before.stdout).toContain(
      `note: ${join(sporHome, 'config.json')} (a reference Spor CLI's settings) is not imported: run \`spor import --from ${sporHome}\``,
    );
    expect(JSON.parse((await runSpor(['doctor', '--json'], {home})).stdout).unimported_config).toContain(
      'not imported',
    );
    expect((await runSpor(['import', '--from', sporHome], {home})).exitCode).toBe(0);
    const after = await runSpor(['doctor'], {home});
    expect(after.stdout).not.toContain('not imported');
    // Changed since: mentioned again.
    writeFileSync(join(sporHome, 'config.json'), JSON.stringify({dispatch: {worktree: false}}));
    expect((await runSpor(['doctor'], {home})).stdout).toContain('is not imported as it is now (it changed since)');
  });

  it('a home with neither config.json nor nodes/ is refused; a directory and --from together are a usage error', async () => {
    const {home} = tempHome();
    const empty = tempDir();
    const r = await runSpor(['import', '--from', empty], {home});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('holds neither config.json nor nodes/');
    const both = await runSpor(['import', empty, '--from', empty], {home});
    expect(both.exitCode).toBe(2);
  });
});
