import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {alive} from '../helpers/processes.js';
import {readLog} from '../helpers/readLog.js';
import {ROOT, runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const BIN = join(ROOT, 'test', 'fixtures', 'bin');
const HARNESSES = join(BIN, 'harnesses');
const HANG = join(BIN, 'misbehaving', 'hang');
const FAIL = join(BIN, 'misbehaving', 'fail');
const CLAUDE_CONFIG = join(ROOT, 'test', 'unit', 'plugins', 'capabilities', 'fixtures', 'claude-config');
const AIDER_EXAMPLE = join(ROOT, 'plugins', 'capabilities', 'examples', 'aider');
const BUILTIN_PROBERS = ['claude-code', 'claude-config', 'codex', 'gemini', 'opencode', 'cursor', 'copilot'];

interface Result {
  prober: string;
  ok: boolean;
  finding?: {
    harnesses?: Array<string>;
    skills?: Array<string>;
    plugins?: Array<string>;
    facts?: Record<string, Record<string, string>>;
  };
  error?: string;
  duration_ms: number;
}

// Only the stub harnesses are on PATH (and CLAUDE_CONFIG_DIR points at an empty place) unless a
// test says otherwise, so nothing installed on the machine running the tests leaks in.
const spor = (args: Array<string>, home: string, env: Record<string, string> = {}) =>
  runSpor(args, {home, env: {PATH: HARNESSES, CLAUDE_CONFIG_DIR: join(home, 'no-claude'), ...env}});
const probe = async (home: string, env: Record<string, string> = {}): Promise<{results: Array<Result>}> => {
  const r = await spor(['capabilities', 'probe', '--json'], home, env);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as {results: Array<Result>};
};
const byProber = (results: Array<Result>, name: string): Result | undefined => results.find((r) => r.prober === name);
describe('spor capabilities probe (built binary, stub harnesses)', () => {
  it('finds every shipped harness on PATH with its version, in one probe-ran event', async () => {
    const {home} = tempHome();
    const r = await spor(['capabilities', 'probe'], home);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^claude-code +ok +harnesses: claude-code \\(2\\.0\\.14 at ${join(HARNESSES, 'claude')}\\)`, 'm'),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `^cursor +ok +harnesses: cursor \\(2025\\.09\\.18-7ae6800 at ${join(HARNESSES, 'cursor-agent')}\\)`,
        'm',
      ),
    );
    const log = readLog(home);
    expect(log.map((e) => e.type)).toEqual(['probe-ran']);
    const results = (log[0]?.data as {results: Array<Result>}).results;
    expect(results.map((x) => [x.prober, x.ok])).toEqual(BUILTIN_PROBERS.map((p) => [p, true]));
    const versions = Object.fromEntries(
      results.flatMap((x) => Object.entries(x.finding?.facts ?? {})).map(([h, f]) => [h, [f.version, f.path]]),
    );
    expect(versions).toEqual({
      'claude-code': ['2.0.14', join(HARNESSES, 'claude')],
      codex: ['0.46.0', join(HARNESSES, 'codex')],
      gemini: ['0.9.0', join(HARNESSES, 'gemini')],
      opencode: ['0.15.2', join(HARNESSES, 'opencode')],
      cursor: ['2025.09.18-7ae6800', join(HARNESSES, 'cursor-agent')],
      copilot: ['0.0.339', join(HARNESSES, 'copilot')],
    });
    const shown = JSON.parse((await spor(['capabilities', '--json'], home)).stdout) as Record<string, Array<string>>;
    expect(shown.harnesses).toEqual(['claude-code', 'codex', 'copilot', 'cursor', 'gemini', 'opencode']);
  });

  it('runs a binary with only --version and --help (its flags), no shell, and a minimal environment (no secrets)', async () => {
    const {home} = tempHome();
    await probe(home, {
      GITHUB_TOKEN: 'ghp_secret',
      SPOR_SERVER_TOKEN: 'spor-secret',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
    });
    expect(
      readdirSync(home)
        .filter((f) => f.startsWith('claude-stub.'))
        .sort(),
    ).toEqual(['claude-stub.--help.log', 'claude-stub.--version.log']);
    for (const arg of ['--version', '--help']) {
      const record = readFileSync(join(home, `claude-stub.${arg}.log`), 'utf8');
      expect(record.split('\n')[0]).toBe(`argv: [${arg}]`);
      expect(record).not.toContain('secret');
      const names = record
        .split('\n')
        .slice(1)
        .filter((l) => l.includes('='))
        .map((l) => l.slice(0, l.indexOf('=')));
      // What the shell itself adds (PWD, SHLVL, _) aside, only the allowlist reaches the binary.
      expect(names.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n)).sort()).toEqual([
        'HOME',
        'LANG',
        'NO_COLOR',
        'PATH',
      ]);
    }
  });

  it('finds nothing on an empty PATH, and says so per prober', async () => {
    const {home} = tempHome();
    const r = await spor(['capabilities', 'probe'], home, {PATH: tempDir()});
    expect(r.exitCode).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) =>
          l
            .replace(/\s+\(\d+ms\)$/, '')
            .split(/\s+/)
            .join(' '),
        ),
    ).toEqual(BUILTIN_PROBERS.map((p) => `${p} ok found nothing`));
    expect(JSON.parse((await spor(['capabilities', '--json'], home, {PATH: tempDir()})).stdout)).toEqual({
      harnesses: [],
      reachable_mcp: [],
      skills: [],
      plugins: [],
      deny: [],
    });
  });

  it('a binary whose --version hangs is still found, without a version; it and its child are killed', async () => {
    const {home} = tempHome();
    const started = Date.now();
    const {results} = await probe(home, {SPOR_HARNESS_CODEX_BINARY: HANG});
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(byProber(results, 'codex')).toMatchObject({
      ok: true,
      finding: {
        harnesses: ['codex'],
        facts: {
          codex: {path: HANG, via: 'harness.codex.binary', version_error: '--version did not answer within 2000ms'},
        },
      },
    });
    expect(byProber(results, 'codex')?.finding?.facts?.codex?.version).toBeUndefined();
    expect(results.filter((x) => x.ok).map((x) => x.prober)).toEqual(BUILTIN_PROBERS);
    const child = Number(readFileSync(join(home, 'hang-child.pid'), 'utf8'));
    expect(alive(child)).toBe(false);
  });

  it('a prober past its deadline (capabilities.probeTimeout) is reported as timed out and never holds up the rest', async () => {
    const {home} = tempHome();
    const started = Date.now();
    // An empty PATH: the other probers find nothing without starting a process, so they finish
    // within the 300 ms however busy the machine is, and only codex (pointed at HANG) runs past it.
    const {results} = await probe(home, {
      PATH: tempDir(),
      SPOR_HARNESS_CODEX_BINARY: HANG,
      SPOR_CAPABILITIES_PROBETIMEOUT: '300ms',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(byProber(results, 'codex')).toMatchObject({ok: false, error: 'timed out after 300ms'});
    expect(byProber(results, 'codex')!.duration_ms).toBeLessThan(2000);
    expect(results.filter((x) => x.ok).map((x) => x.prober)).toEqual(BUILTIN_PROBERS.filter((p) => p !== 'codex'));
    expect(alive(Number(readFileSync(join(home, 'hang-child.pid'), 'utf8')))).toBe(false);
    const text = await spor(['capabilities'], home);
    expect(text.stdout).toMatch(/failed: codex \(timed out after 300ms\)/);
    expect(JSON.parse((await spor(['caps', '--json'], home)).stdout).harnesses).not.toContain('codex');
    // `list` is the reference CLI's name for the same map.
    expect((await spor(['capabilities', 'list', '--json'], home)).stdout).toBe(
      (await spor(['caps', '--json'], home)).stdout,
    );
  });

  it('a binary whose --version fails is still found, without a version; the machine setting points at it', async () => {
    const {home} = tempHome();
    expect((await spor(['config', 'set', 'harness.gemini.binary', FAIL], home)).exitCode).toBe(0);
    const {results} = await probe(home);
    expect(byProber(results, 'gemini')?.finding).toEqual({
      harnesses: ['gemini'],
      facts: {gemini: {path: FAIL, via: 'harness.gemini.binary', version_error: '--version exited 3'}},
    });
  });

  it('a setting that points at nothing fails that prober (named) and the others still report', async () => {
    const {home} = tempHome();
    const r = await spor(['capabilities', 'probe'], home, {SPOR_HARNESS_COPILOT_BINARY: '/nonexistent/copilot'});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^copilot +failed +harness\.copilot\.binary points at \/nonexistent\/copilot, which is not an executable file/m,
    );
    expect(r.stdout).toMatch(/^codex +ok +harnesses: codex/m);
  });

  it("never takes a harness binary from a repository's .spor.json", async () => {
    const {home} = tempHome();
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, '.spor.json'), JSON.stringify({harness: {codex: {binary: FAIL}}}));
    const r = await runSpor(['capabilities', 'probe', '--json'], {
      home,
      cwd: repo,
      env: {PATH: HARNESSES, CLAUDE_CONFIG_DIR: join(home, 'none')},
    });
    const codex = byProber((JSON.parse(r.stdout) as {results: Array<Result>}).results, 'codex');
    expect(codex?.finding?.facts?.codex?.path).toBe(join(HARNESSES, 'codex'));
  });

  it('reads Claude Code skills and plugins from CLAUDE_CONFIG_DIR', async () => {
    const {home} = tempHome();
    const {results} = await probe(home, {CLAUDE_CONFIG_DIR: CLAUDE_CONFIG});
    expect(byProber(results, 'claude-config')?.finding).toMatchObject({
      skills: ['brainstorming', 'superpowers:systematic-debugging', 'tdd'],
      plugins: ['linear-tools', 'superpowers'],
    });
    const shown = JSON.parse((await spor(['capabilities', '--json'], home)).stdout) as Record<string, Array<string>>;
    expect(shown.skills).toEqual(['brainstorming', 'superpowers:systematic-debugging', 'tdd']);
    expect(shown.plugins).toEqual(['linear-tools', 'superpowers']);
  });
});

describe('spor capabilities (built binary)', () => {
  it('on a fresh machine probes on demand; --json has exactly the five keys', async () => {
    const {home} = tempHome();
    const r = await spor(['capabilities', '--json'], home);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('spor: no probe on record yet; probed this machine (7 probers, recorded as probe-ran)');
    const map = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(map)).toEqual(['harnesses', 'reachable_mcp', 'skills', 'plugins', 'deny']);
    expect(map).toEqual({
      harnesses: ['claude-code', 'codex', 'copilot', 'cursor', 'gemini', 'opencode'],
      reachable_mcp: [],
      skills: [],
      plugins: [],
      deny: [],
    });
    expect(readLog(home).map((e) => e.type)).toEqual(['probe-ran']);
  });

  it('every edit subcommand records its event; no-op edits write nothing; bad axes exit 2 and write nothing', async () => {
    const {home} = tempHome();
    const steps: Array<[Array<string>, number, RegExp]> = [
      [['capabilities', 'set', 'skills', 'tdd', 'review'], 0, /^skills declared: review, tdd \(was: \(none\)\)$/],
      [['capabilities', 'set', 'skills', 'review', 'tdd'], 0, /nothing written/],
      [['caps', 'add', 'plugins', 'superpowers'], 0, /^declared on plugins: superpowers/],
      [['caps', 'add', 'plugins', 'superpowers'], 0, /nothing written/],
      [['profiles', 'rm', 'skills', 'review'], 0, /^withdrew from skills: review \(now declared: tdd\)$/],
      [['profiles', 'rm', 'skills', 'review'], 0, /nothing written/],
      [['capabilities', 'allow-mcp', 'linear'], 0, /^reachable MCP servers declared: linear/],
      [['capabilities', 'allow-mcp', 'linear'], 0, /nothing written/],
      [['capabilities', 'deny', 'profile-prod'], 0, /^denied: profile-prod$/],
      [['capabilities', 'deny', 'profile-prod'], 0, /nothing written/],
      [['capabilities', 'undeny', 'profile-prod'], 0, /^no longer denied: profile-prod$/],
      [['capabilities', 'undeny', 'profile-prod'], 0, /nothing written/],
      [['capabilities', 'add', 'harness', 'codex'], 2, /^$/],
      [['capabilities', 'set', 'mcp', 'linear'], 2, /^$/],
      [['capabilities', 'disallow-mcp', 'linear'], 0, /^reachable MCP servers withdrawn: linear \(now: \(none\)\)$/],
      [['capabilities', 'disallow-mcp', 'linear'], 0, /nothing written/],
      [['capabilities', 'deny', 'profile-a', 'profile-b'], 0, /^denied: profile-a, profile-b$/],
      [['capabilities', 'allow', 'profile-a'], 0, /^no longer denied: profile-a$/],
      [['capabilities', 'remove', 'skills', 'tdd'], 0, /^withdrew from skills: tdd/],
      [['capabilities', 'reset'], 0, /^cleared declarations and the probe cache\nlifted the deny list: profile-b$/],
      [['capabilities', 'clear'], 0, /nothing written/],
    ];
    for (const [args, code, stdout] of steps) {
      const r = await spor(args, home);
      expect(r.exitCode, args.join(' ')).toBe(code);
      expect(r.stdout, args.join(' ')).toMatch(stdout);
      if (code === 2) {
        expect(r.stderr).toMatch(
          /^spor: unknown capability axis '(harness|mcp)'\n {2}hint: the axes are harnesses, reachable_mcp, skills, plugins/,
        );
      }
    }
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['capabilities-declared', {axis: 'skills', values: ['review', 'tdd']}],
      ['capabilities-declared', {axis: 'plugins', values: ['superpowers']}],
      ['capabilities-declared', {axis: 'skills', values: ['tdd']}],
      ['capabilities-declared', {axis: 'reachable_mcp', values: ['linear']}],
      ['profile-denied', {profile: 'profile-prod'}],
      ['profile-undenied', {profile: 'profile-prod'}],
      ['capabilities-declared', {axis: 'reachable_mcp', values: []}],
      ['profile-denied', {profile: 'profile-a'}],
      ['profile-denied', {profile: 'profile-b'}],
      ['profile-undenied', {profile: 'profile-a'}],
      ['capabilities-declared', {axis: 'skills', values: []}],
      ['capabilities-cleared', {}],
      ['profile-undenied', {profile: 'profile-b'}],
    ]);
  });

  it('--help works for the group and a subcommand', async () => {
    const {home} = tempHome();
    const help = await spor(['capabilities', 'check', '--help'], home);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/can this machine run a profile\?/i);
    expect(readLog(home)).toEqual([]);
  });
});

describe('spor capabilities check (built binary, with the graph plugin)', () => {
  it('checks a profile created with spor profile create: exit 0 when satisfied, 1 with reasons when not', async () => {
    const {home} = tempHome();
    const created = await spor(
      ['profile', 'create', 'profile-dev', '--harness', 'claude-code', '--mcp', 'linear', '--skills', 'tdd'],
      home,
    );
    expect(created.exitCode, created.stderr).toBe(0);
    const missing = await spor(['capabilities', 'check', 'profile-dev'], home);
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain(
      "MCP server 'linear' is not reachable here — declare it with `spor capabilities allow-mcp linear`",
    );
    expect(missing.stdout).toContain(
      "skill 'tdd' is not installed here — install it, or declare it with `spor capabilities add skills tdd`",
    );
    await spor(['capabilities', 'allow-mcp', 'linear'], home);
    await spor(['capabilities', 'add', 'skills', 'tdd'], home);
    const ok = await spor(['capabilities', 'check', 'profile-dev', '--json'], home);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({profile: 'profile-dev', ok: true, reasons: []});
    // check reads the probe cache: claude vanishing from PATH counts only after a re-probe.
    const cached = await spor(['capabilities', 'check', 'profile-dev'], home, {PATH: tempDir()});
    expect(cached.exitCode).toBe(0);
    await spor(['capabilities', 'probe'], home, {PATH: tempDir()});
    const gone = await spor(['capabilities', 'check', 'profile-dev'], home);
    expect(gone.exitCode).toBe(1);
    expect(gone.stdout).toContain(
      "harness 'claude-code' is not installed here — install it, or point `harness.claude-code.binary` at it with `spor config set harness.claude-code.binary <path>`",
    );
  });

  it('refuses an unknown profile naming spor profile create', async () => {
    const {home} = tempHome();
    const r = await spor(['capabilities', 'check', 'profile-nope'], home);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      "spor: unknown profile 'profile-nope'\n  hint: create it with `spor profile create profile-nope --harness <harness>`",
    );
    expect(readLog(home)).toEqual([]);
  });
});

describe('a user-authored harness plugin (plugins/capabilities/examples/aider)', () => {
  it('is added with spor plugins add, and spor capabilities probe reports aider', async () => {
    const {home} = tempHome();
    const add = await spor(['plugins', 'add', AIDER_EXAMPLE], home);
    expect(add.stderr).toBe('');
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toContain('added plugin harness-aider 1.0.0');
    const r = await spor(['capabilities', 'probe'], home);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(`^aider +ok +harnesses: aider \\(0\\.86\\.1 at ${join(HARNESSES, 'aider')}\\)`, 'm'),
    );
    const results = (readLog(home).at(-1)?.data as {results: Array<Result>}).results;
    expect(results.map((x) => x.prober)).toEqual([...BUILTIN_PROBERS, 'aider']);
    expect(JSON.parse((await spor(['caps', '--json'], home)).stdout).harnesses).toContain('aider');
    // It contributes a launch adapter too, which `spor plugins list` shows beside its prober.
    const listed = (
      JSON.parse((await spor(['plugins', 'list', '--json'], home)).stdout) as Array<{
        name: string;
        contributes: Record<string, unknown>;
      }>
    ).find((p) => p.name === 'harness-aider');
    expect(listed?.contributes).toMatchObject({
      probers: ['aider'],
      harnesses: ['aider'],
      settings: ['harness.aider.binary'],
    });
    // Its setting is a real setting: pointing it at a failing binary still finds aider, without a version.
    expect((await spor(['config', 'set', 'harness.aider.binary', FAIL], home)).exitCode).toBe(0);
    const again = await probe(home);
    expect(byProber(again.results, 'aider')?.finding?.facts?.aider).toEqual({
      path: FAIL,
      via: 'harness.aider.binary',
      version_error: '--version exited 3',
    });
    expect(existsSync(join(home, '.spor', 'spor.plugins.json'))).toBe(true);
  });
});
