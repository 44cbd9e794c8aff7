import {describe, expect, it} from 'vitest';
import {readLog} from '../../../helpers/readLog.js';
import {tempHome} from '../../../helpers/tempHome.js';
import {profileNode, runner, seed} from './fixtures.js';

const run = runner();
const types = (home: string): Array<string> => readLog(home).map((e) => e.type);
const AXES_HINT = /hint: the axes are harnesses, reachable_mcp, skills, plugins/;

describe('spor capabilities (show)', () => {
  it('probes on demand when no probe is on record, says so, records one probe-ran; later calls read the cache', async () => {
    const {home} = tempHome();
    const first = await run(['capabilities', '--json'], home);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('spor: no probe on record yet; probed this machine (3 probers, recorded as probe-ran)\n');
    expect(JSON.parse(first.stdout)).toEqual({
      harnesses: ['claude-code'],
      reachable_mcp: [],
      skills: ['tdd'],
      plugins: ['superpowers'],
      deny: [],
    });
    expect(types(home)).toEqual(['probe-ran']);
    const again = await run(['caps', '--json'], home);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout));
    expect(types(home)).toEqual(['probe-ran']);
  });

  it('shows each item with where it came from, the deny list and the probe', async () => {
    const {home} = tempHome();
    await run(['capabilities', 'probe'], home);
    await run(['capabilities', 'add', 'skills', 'tdd', 'review'], home);
    await run(['capabilities', 'deny', 'profile-prod'], home);
    const r = await run(['capabilities', 'show'], home);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 11)).toEqual([
      'harnesses',
      '  claude-code  probed by fake-claude: 2.0.14 at /opt/claude/bin/claude',
      'reachable_mcp',
      '  (none) — declare one with `spor capabilities allow-mcp <name>`',
      'skills',
      '  review  declared',
      '  tdd     declared; probed by fake-config',
      'plugins',
      '  superpowers  probed by fake-config',
      'deny',
      '  profile-prod',
    ]);
    expect(lines[11]).toMatch(/^probed \d{4}-\d\d-\d\dT.*Z by 3 probers; re-probe with `spor capabilities probe`$/);
  });

  it('answers to the aliases caps and profiles, with subcommands under each', async () => {
    const {home} = tempHome();
    expect((await run(['caps', 'allow-mcp', 'linear'], home)).code).toBe(0);
    expect((await run(['profiles', 'deny', 'profile-x'], home)).code).toBe(0);
    const shown = JSON.parse((await run(['profiles', '--json'], home)).stdout) as Record<string, Array<string>>;
    expect(shown.reachable_mcp).toEqual(['linear']);
    expect(shown.deny).toEqual(['profile-x']);
  });
});

describe('spor capabilities probe', () => {
  it('runs every prober and appends exactly one probe-ran with each result', async () => {
    const {home} = tempHome();
    const r = await run(['capabilities', 'probe', '--json'], home);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as {results: Array<Record<string, unknown>>};
    expect(printed.results.map((x) => [x.prober, x.ok])).toEqual([
      ['fake-claude', true],
      ['fake-config', true],
      ['fake-flaky', true],
    ]);
    const log = readLog(home);
    expect(log.map((e) => e.type)).toEqual(['probe-ran']);
    expect(log[0]?.data).toEqual(printed);
    expect(printed.results[0]).toEqual({
      prober: 'fake-claude',
      ok: true,
      duration_ms: expect.any(Number),
      finding: {
        harnesses: ['claude-code'],
        facts: {'claude-code': {path: '/opt/claude/bin/claude', version: '2.0.14'}},
      },
    });
  });

  it('reports a prober that throws, keeps the others, and exits 0', async () => {
    const {home} = tempHome();
    const r = await run(['capabilities', 'probe'], home, {FAKE_FAIL: '1'});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fake-flaky\s+failed\s+config unreadable\s+\(\d+ms\)$/m);
    expect(r.stdout).toMatch(/^fake-claude\s+ok\s+harnesses: claude-code \(2\.0\.14 at \/opt\/claude\/bin\/claude\)/m);
    expect(readLog(home)[0]?.data).toMatchObject({
      results: [{ok: true}, {ok: true}, {prober: 'fake-flaky', ok: false, error: 'config unreadable'}],
    });
  });

  it('reports a prober that hangs as timed out at capabilities.probeTimeout and never waits for it longer', async () => {
    const {home} = tempHome();
    const r = await run(['capabilities', 'probe', '--json'], home, {
      FAKE_HANG: '1',
      SPOR_CAPABILITIES_PROBETIMEOUT: '150ms',
    });
    expect(r.code).toBe(0);
    const {results} = JSON.parse(r.stdout) as {
      results: Array<{prober: string; ok: boolean; error?: string; duration_ms: number}>;
    };
    expect(results.find((x) => x.prober === 'fake-flaky')).toMatchObject({ok: false, error: 'timed out after 150ms'});
    expect(results.filter((x) => x.ok).map((x) => x.prober)).toEqual(['fake-claude', 'fake-config']);
  });

  it('replaces the probe cache: what the latest run found is what counts', async () => {
    const {home} = tempHome();
    await run(['capabilities', 'probe'], home);
    await run(['capabilities', 'probe'], home, {FAKE_FAIL: '1'});
    expect(types(home)).toEqual(['probe-ran', 'probe-ran']);
    expect(JSON.parse((await run(['capabilities', '--json'], home)).stdout)).toMatchObject({
      harnesses: ['claude-code'],
    });
  });
});

describe('declaring: set, add, rm, allow-mcp', () => {
  it('set replaces an axis and says what it was; the same set again writes nothing and says so', async () => {
    const {home} = tempHome();
    const set = await run(['capabilities', 'set', 'harnesses', 'codex', 'aider'], home);
    expect(set.stdout).toBe('harnesses declared: aider, codex (was: (none))\n');
    expect(readLog(home).map((e) => e.data)).toEqual([{axis: 'harnesses', values: ['aider', 'codex']}]);
    const same = await run(['capabilities', 'set', 'harnesses', 'codex', 'aider', 'codex'], home);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe('harnesses already declared as aider, codex; nothing written\n');
    const other = await run(['capabilities', 'set', 'harnesses', 'gemini'], home);
    expect(other.stdout).toBe('harnesses declared: gemini (was: aider, codex)\n');
    await run(['capabilities', 'set', 'harnesses'], home);
    expect(readLog(home).map((e) => e.data)).toEqual([
      {axis: 'harnesses', values: ['aider', 'codex']},
      {axis: 'harnesses', values: ['gemini']},
      {axis: 'harnesses', values: []},
    ]);
  });

  it('add declares the new items; only known items writes nothing', async () => {
    const {home} = tempHome();
    expect((await run(['capabilities', 'add', 'plugins', 'superpowers'], home)).stdout).toBe(
      'declared on plugins: superpowers (now: superpowers)\n',
    );
    const more = await run(['capabilities', 'add', 'plugins', 'linear-tools', 'superpowers'], home);
    expect(more.stdout).toBe(
      'declared on plugins: linear-tools (now: linear-tools, superpowers)\nalready declared: superpowers\n',
    );
    const none = await run(['capabilities', 'add', 'plugins', 'superpowers'], home);
    expect(none.stdout).toBe('already declared on plugins: superpowers; nothing written\n');
    expect(readLog(home).map((e) => e.data)).toEqual([
      {axis: 'plugins', values: ['superpowers']},
      {axis: 'plugins', values: ['linear-tools', 'superpowers']},
    ]);
  });

  it('rm withdraws declarations; an item that is only probed stays, and rm says why', async () => {
    const {home} = tempHome();
    await run(['capabilities', 'probe'], home);
    await run(['capabilities', 'add', 'skills', 'review', 'plan'], home);
    const rm = await run(['capabilities', 'rm', 'skills', 'review'], home);
    expect(rm.stdout).toBe('withdrew from skills: review (now declared: plan)\n');
    const probed = await run(['capabilities', 'rm', 'skills', 'tdd'], home);
    expect(probed.stdout).toBe(
      'not declared on skills: tdd; nothing written\ntdd is probed, not declared: only declarations can be removed\n',
    );
    expect(types(home)).toEqual(['probe-ran', 'capabilities-declared', 'capabilities-declared']);
    expect(JSON.parse((await run(['capabilities', '--json'], home)).stdout)).toMatchObject({skills: ['plan', 'tdd']});
  });

  it('allow-mcp declares reachable MCP servers (= add reachable_mcp)', async () => {
    const {home} = tempHome();
    expect((await run(['capabilities', 'allow-mcp', 'linear', 'github'], home)).stdout).toBe(
      'reachable MCP servers declared: github, linear (now: github, linear)\n',
    );
    expect((await run(['capabilities', 'allow-mcp', 'linear'], home)).stdout).toBe(
      'already reachable: linear; nothing written\n',
    );
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['capabilities-declared', {axis: 'reachable_mcp', values: ['github', 'linear']}],
    ]);
  });

  it.each([
    [['capabilities', 'set', 'harness', 'codex'], 'harness', AXES_HINT],
    [['capabilities', 'add', 'mcp', 'linear'], 'mcp', AXES_HINT],
    [['caps', 'rm', 'skils', 'tdd'], 'skils', /did you mean skills\?/],
    [['capabilities', 'add', 'deny', 'profile-x'], 'deny', /spor capabilities deny <profile-id>/],
  ])('refuses %j with exit 2 naming the axis and listing the axes, writing nothing', async (argv, axis, hint) => {
    const {home} = tempHome();
    const r = await run(argv, home);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`spor: unknown capability axis '${axis}'`);
    expect(r.stderr).toMatch(hint);
    expect(readLog(home)).toEqual([]);
  });

  it.each([
    [['capabilities', 'add', 'skills', 'tdd', 'two words'], "spor: invalid skills value 'two words'"],
    [['capabilities', 'set', 'plugins', '-x'], undefined],
    [['capabilities', 'deny', 'profile/../etc'], "spor: invalid profile id 'profile/../etc'"],
  ])('refuses a bad value in %j with exit 2, writing nothing', async (argv, message) => {
    const {home} = tempHome();
    const r = await run(argv, home);
    expect(r.code).toBe(2);
    if (message) expect(r.stderr.split('\n')[0]).toBe(message);
    expect(readLog(home)).toEqual([]);
  });

  it('needs at least one value for add, rm, allow-mcp, deny and undeny (exit 2)', async () => {
    const {home} = tempHome();
    for (const argv of [
      ['capabilities', 'add', 'skills'],
      ['capabilities', 'rm', 'skills'],
      ['capabilities', 'allow-mcp'],
      ['capabilities', 'deny'],
      ['capabilities', 'undeny'],
    ]) {
      expect((await run(argv, home)).code, argv.join(' ')).toBe(2);
    }
    expect(readLog(home)).toEqual([]);
  });
});

describe('deny, undeny, clear', () => {
  it('deny writes one profile-denied per new profile; undeny lifts; repeats write nothing and say so', async () => {
    const {home} = tempHome();
    expect((await run(['capabilities', 'deny', 'profile-b', 'profile-a'], home)).stdout).toBe(
      'denied: profile-a, profile-b\n',
    );
    expect((await run(['capabilities', 'deny', 'profile-a', 'profile-c'], home)).stdout).toBe(
      'denied: profile-c\nalready denied: profile-a\n',
    );
    expect((await run(['capabilities', 'deny', 'profile-a'], home)).stdout).toBe(
      'already denied: profile-a; nothing written\n',
    );
    expect((await run(['capabilities', 'undeny', 'profile-a', 'profile-z'], home)).stdout).toBe(
      'no longer denied: profile-a\nnot denied: profile-z\n',
    );
    expect((await run(['capabilities', 'undeny', 'profile-z'], home)).stdout).toBe(
      'not denied: profile-z; nothing written\n',
    );
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['profile-denied', {profile: 'profile-a'}],
      ['profile-denied', {profile: 'profile-b'}],
      ['profile-denied', {profile: 'profile-c'}],
      ['profile-undenied', {profile: 'profile-a'}],
    ]);
  });

  it('clear resets declarations, the deny list and the probe cache, and the next show probes afresh', async () => {
    const {home} = tempHome();
    await run(['capabilities', 'probe'], home);
    await run(['capabilities', 'add', 'harnesses', 'codex'], home);
    await run(['capabilities', 'deny', 'profile-x'], home);
    const clear = await run(['capabilities', 'clear'], home);
    expect(clear.stdout).toBe('cleared declarations and the probe cache\nlifted the deny list: profile-x\n');
    expect(types(home)).toEqual([
      'probe-ran',
      'capabilities-declared',
      'profile-denied',
      'capabilities-cleared',
      'profile-undenied',
    ]);
    const again = await run(['capabilities', 'clear'], home);
    expect(again.stdout).toMatch(/^nothing declared, denied or probed; nothing written\n/);
    expect(types(home)).toHaveLength(5);
    const shown = await run(['capabilities', '--json'], home);
    expect(shown.stderr).toMatch(/no probe on record yet/);
    expect(JSON.parse(shown.stdout)).toEqual({
      harnesses: ['claude-code'],
      reachable_mcp: [],
      skills: ['tdd'],
      plugins: ['superpowers'],
      deny: [],
    });
  });
});

describe('spor capabilities check', () => {
  it('exits 0 when the profile is satisfied, by probed and declared items alike', async () => {
    const {home} = tempHome();
    await seed(home, [
      profileNode('profile-dev', {harness: 'claude-code', mcp: ['linear'], skills: ['tdd'], plugins: ['superpowers']}),
    ]);
    await run(['capabilities', 'allow-mcp', 'linear'], home);
    const r = await run(['capabilities', 'check', 'profile-dev'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('profile-dev: this machine satisfies it\n');
    const json = await run(['caps', 'check', 'profile-dev', '--json'], home);
    expect(JSON.parse(json.stdout)).toEqual({profile: 'profile-dev', ok: true, reasons: []});
  });

  it('exits 1 with one reason per missing atom, naming how to declare each', async () => {
    const {home} = tempHome();
    await seed(home, [
      profileNode('profile-codex', {
        harness: 'codex',
        mcp: ['linear', 'sentry'],
        skills: ['tdd', 'review'],
        plugins: ['linear-tools'],
      }),
    ]);
    await run(['capabilities', 'allow-mcp', 'linear'], home);
    const r = await run(['capabilities', 'check', 'profile-codex'], home);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'profile-codex: this machine does not satisfy it',
      "  - harness 'codex' is not installed here — install it, or point `harness.codex.binary` at it with `spor config set harness.codex.binary <path>`",
      "  - MCP server 'sentry' is not reachable here — declare it with `spor capabilities allow-mcp sentry`",
      "  - skill 'review' is not installed here — install it, or declare it with `spor capabilities add skills review`",
      "  - plugin 'linear-tools' is not installed here — install it, or declare it with `spor capabilities add plugins linear-tools`",
      '',
    ]);
    const json = await run(['capabilities', 'check', 'profile-codex', '--json'], home);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      profile: 'profile-codex',
      ok: false,
      reasons: expect.arrayContaining([expect.stringMatching(/^MCP server 'sentry'/)]),
    });
    // Declaring what was missing makes it pass.
    await run(['capabilities', 'add', 'harnesses', 'codex'], home);
    await run(['capabilities', 'allow-mcp', 'sentry'], home);
    await run(['capabilities', 'add', 'skills', 'review'], home);
    await run(['capabilities', 'add', 'plugins', 'linear-tools'], home);
    expect((await run(['capabilities', 'check', 'profile-codex'], home)).code).toBe(0);
  });

  it('a denied profile is not satisfied however capable the machine is', async () => {
    const {home} = tempHome();
    await seed(home, [profileNode('profile-dev', {harness: 'claude-code'})]);
    await run(['capabilities', 'deny', 'profile-dev'], home);
    const r = await run(['capabilities', 'check', 'profile-dev', '--json'], home);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      profile: 'profile-dev',
      ok: false,
      reasons: [
        "profile 'profile-dev' is denied on this machine — allow it again with `spor capabilities undeny profile-dev`",
      ],
    });
  });

  it('refuses an unknown profile (exit 1) naming spor profile create, without probing', async () => {
    const {home} = tempHome();
    const r = await run(['capabilities', 'check', 'profile-nope'], home);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "spor: unknown profile 'profile-nope'\n  hint: create it with `spor profile create profile-nope --harness <harness>`\n",
    );
    expect(readLog(home)).toEqual([]);
  });

  it('refuses a node that is not a profile', async () => {
    const {home} = tempHome();
    await seed(home, [
      {type: 'node-added', data: {node: {id: 'task-x', type: 'task', title: 'x', created: '2025-01-01T00:00:00Z'}}},
    ]);
    const r = await run(['capabilities', 'check', 'task-x'], home);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("spor: 'task-x' is a task, not a profile");
  });

  it('reads profiles through GRAPH_READER when the graph plugin registers it', async () => {
    const {home} = tempHome();
    await seed(home, [profileNode('profile-dev', {harness: 'gemini'})]);
    const r = await runner({graphReader: true})(['capabilities', 'check', 'profile-dev'], home);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "harness 'gemini' is not installed here — install it (or a plugin that probes for it), or declare it with `spor capabilities add harnesses gemini`",
    );
  });

  it('refuses clearly when no graph plugin is loaded', async () => {
    const {home} = tempHome();
    const r = await runner({graph: false})(['capabilities', 'check', 'profile-dev'], home);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("spor: cannot look up profile 'profile-dev': the graph plugin is not loaded");
  });
});
