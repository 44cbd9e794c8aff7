import {chmodSync, existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';

import {tempDir} from '../helpers/tempHome.js';

const setup = () => {
  const {home, rec, env, spor} = stubMachine();
  const plan = async (args: Array<string>, extra: Record<string, string> = {}) => {
    const r = await spor(['dispatch', ...args, '--print', '--json'], extra);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as {
      argv: Array<string>;
      posture: string;
      env: Record<string, string>;
      blocked: string | null;
    };
  };
  return {home, rec, env, spor, plan};
};

const flagAfter = (argv: Array<string>, flag: string): string | undefined => argv[argv.indexOf(flag) + 1];
const isRoot = process.getuid?.() === 0;

describe('postures (built binary, stub harnesses on PATH)', () => {
  it('map to each harness: --posture > the profile > dispatch.posture > edit; a pass-through flag still wins', async () => {
    const {spor, plan} = setup();
    const repo = gitRepo();
    const claude = (extra: Array<string>) => plan(['x', '--dir', repo, ...extra]);
    expect(flagAfter((await claude([])).argv, '--permission-mode')).toBe('acceptEdits');
    expect(flagAfter((await claude(['--posture', 'read-only'])).argv, '--permission-mode')).toBe('plan');
    expect(flagAfter((await claude(['--posture', 'full'])).argv, '--permission-mode')).toBe('bypassPermissions');
    const overridden = await claude(['--posture', 'read-only', '--permission-mode', 'default']);
    expect(overridden.posture).toBe('read-only');
    expect(overridden.argv.filter((a) => a === '--permission-mode')).toHaveLength(1);
    expect(flagAfter(overridden.argv, '--permission-mode')).toBe('default');

    await spor(['profile', 'create', 'careful', '--harness', 'codex', '--posture', 'read-only']);
    await spor(['profile', 'create', 'plain', '--harness', 'codex']);
    const codex = (extra: Array<string>) => plan(['x', '--dir', repo, ...extra]);
    expect(flagAfter((await codex(['--profile', 'profile-plain'])).argv, '--sandbox')).toBe('workspace-write');
    expect(flagAfter((await codex(['--profile', 'profile-careful'])).argv, '--sandbox')).toBe('read-only');
    expect(flagAfter((await codex(['--profile', 'profile-careful', '--posture', 'full'])).argv, '--sandbox')).toBe(
      'danger-full-access',
    );
    expect((await codex(['--profile', 'profile-careful', '--sandbox', 'workspace-write'])).argv).toContain(
      'workspace-write',
    );
    await spor(['config', 'set', 'dispatch.posture', 'full']);
    const fromSetting = await codex(['--profile', 'profile-plain']);
    expect(fromSetting.posture).toBe('full');
    expect(fromSetting.argv).toContain('approval_policy="never"');
    expect(flagAfter(fromSetting.argv, '--sandbox')).toBe('danger-full-access');

    const text = await spor(['dispatch', 'x', '--dir', repo, '--posture', 'read-only', '--print']);
    expect(text.stdout).toContain('posture     read-only (from --posture)');
  });

  it('an unknown posture is exit 2 naming the valid ones, from the flag, the setting or profile create; nothing written', async () => {
    const {home, spor} = setup();
    const repo = gitRepo();
    const before = readLog(home).length;
    const bad = await spor(['dispatch', 'x', '--dir', repo, '--posture', 'yolo']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("unknown posture 'yolo' (from --posture)");
    expect(bad.stderr).toContain('read-only, edit, full');
    expect(readLog(home)).toHaveLength(before);
    const profile = await spor(['profile', 'create', 'p', '--harness', 'codex', '--posture', 'everything']);
    expect(profile.exitCode).toBe(2);
    expect(profile.stderr).toContain('read-only, edit, full');
    const fromEnv = await spor(['dispatch', 'x', '--dir', repo], {SPOR_DISPATCH_POSTURE: 'admin'});
    expect(fromEnv.exitCode).toBe(2);
    expect(fromEnv.stderr).toContain("unknown posture 'admin' (from dispatch.posture)");
  });

  it('full as root: Claude Code would refuse bypassPermissions, so dispatch refuses first (exit 1, nothing launched) unless IS_SANDBOX=1 reaches it', async () => {
    const {home, rec, env, spor, plan} = setup();
    const repo = gitRepo();
    const shown = await plan(['x', '--dir', repo, '--posture', 'full']);
    const r = await spor(['dispatch', 'x', '--dir', repo, '--posture', 'full']);
    if (isRoot) {
      expect(shown.blocked).toContain('as root');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('refuses to skip permissions');
      expect(r.stderr).toContain('IS_SANDBOX=1');
      expect(readLog(home).filter((e) => e.type === 'dispatch-started')).toEqual([]);
      expect(received(rec)).toEqual([]);
    } else {
      expect(shown.blocked).toBeNull();
      expect(r.exitCode).toBe(0);
      await waitForEnd(home, runIdOf(r.stdout), env);
    }
    await spor(['config', 'set', 'harness.claude-code.env', '{"IS_SANDBOX":"1"}']);
    const sandboxed = await spor(['dispatch', 'y', '--dir', repo, '--posture', 'full']);
    expect(sandboxed.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(sandboxed.stdout), env);
    const last = received(rec).find((g) => g.stdin.includes('# Task\n\ny'));
    expect(last?.env.IS_SANDBOX).toBe('1');
    expect(flagAfter(last?.argv ?? [], '--permission-mode')).toBe('bypassPermissions');
  });
});

describe('what the installed harness accepts (the probe reads its --help)', () => {
  it('an installed codex that lacks a flag spor needs is refused before launching: exit 1 naming the version and the flag, nothing appended', async () => {
    const {home, rec, spor} = setup();
    const repo = gitRepo();
    const old = join(tempDir('spor-old-codex-'), 'codex');
    const ran = join(tempDir('spor-ran-'), 'ran');
    writeFileSync(
      old,
      `#!/usr/bin/env node
const a = process.argv.slice(2);
if (a[0] === '--version') { console.log('codex-cli 0.40.0'); process.exit(0); }
if (a[0] === 'exec' && a[1] === '--help') { console.log('  --json\\n  -s, --sandbox <MODE>\\n  -a, --ask-for-approval <P>\\n  -m, --model <M>'); process.exit(0); }
require('node:fs').writeFileSync(${JSON.stringify(ran)}, a.join(' '));
`,
    );
    chmodSync(old, 0o755);
    await spor(['config', 'set', 'harness.codex.binary', old]);
    // Without a profile and with no probe on record, --print probes nothing (it stays cheap) and so
    // cannot tell; the real dispatch probes, and refuses.
    await spor(['config', 'set', 'dispatch.harness', 'codex']);
    const unprobed = JSON.parse((await spor(['dispatch', 'x', '--dir', repo, '--print', '--json'])).stdout);
    expect(unprobed.blocked).toBeNull();
    const plain = await spor(['dispatch', 'x', '--dir', repo]);
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr).toContain('codex 0.40.0');
    await spor(['profile', 'create', 'cx', '--harness', 'codex']);
    const before = readLog(home).length;
    const r = await spor(['dispatch', 'port it', '--dir', repo, '--profile', 'profile-cx']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('codex 0.40.0');
    expect(r.stderr).toContain('does not accept --output-last-message');
    expect(r.stderr).toContain('codex exec --help');
    expect(readLog(home)).toHaveLength(before);
    expect(existsSync(ran)).toBe(false);
    expect(received(rec)).toEqual([]);
    // --print says what a real dispatch would refuse
    const shown = JSON.parse(
      (await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-cx', '--print', '--json'])).stdout,
    );
    expect(shown.blocked).toContain('--output-last-message');
  });

  it('the probe records each harness version and the flags its help lists (probe-ran)', async () => {
    const {home, spor} = setup();
    const shown = await spor(['capabilities', 'probe']);
    expect(shown.exitCode).toBe(0);
    // The text names how many; the list is in the event (and --json).
    expect(shown.stdout).toMatch(/claude-code \(2\.1\.197 at \S+ 11 flags\)/);
    const probe = readLog(home).find((e) => e.type === 'probe-ran');
    const facts = (
      probe?.data as {results: Array<{finding?: {facts?: Record<string, Record<string, string>>}}>}
    ).results
      .map((r) => r.finding?.facts)
      .reduce<Record<string, Record<string, string>>>((a, f) => ({...a, ...f}), {});
    expect(facts['claude-code']).toMatchObject({version: '2.1.197'});
    expect(facts['claude-code']?.flags?.split(' ')).toEqual(
      expect.arrayContaining(['permission-mode', 'name', 'verbose']),
    );
    expect(facts.codex).toMatchObject({version: '0.171.0'});
    expect(facts.codex?.flags?.split(' ')).toEqual(expect.arrayContaining(['sandbox', 'json', 'output-last-message']));
    expect(facts.codex?.flags?.split(' ')).not.toContain('ask-for-approval');
  });
});

describe('the harness environment (one filter, shown by --print)', () => {
  // What a developer's shell often holds next to what the agent needs.
  const SHELL = {
    GITHUB_TOKEN: 'ghp_x',
    GH_TOKEN: 'gh_x',
    AWS_ACCESS_KEY_ID: 'AKIA',
    AWS_SECRET_ACCESS_KEY: 'aws_s',
    NPM_TOKEN: 'npm_x',
    SSH_AUTH_SOCK: '/tmp/agent.sock',
    DB_PASSWORD: 'db_pw',
    SPOR_API_KEY: 'spor_k',
    HTTPS_PROXY: 'http://proxy:3128',
    NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem',
    TERM: 'xterm-256color',
    ANTHROPIC_API_KEY: 'sk-ant-mine',
    CLAUDE_CODE_USE_BEDROCK: '1',
    OPENAI_API_KEY: 'sk-oai-mine',
    MY_GATEWAY_TOKEN: 'gw',
  };

  it('Claude Code gets the basics, its vendor variables, the passthrough and harness.claude-code.env/args; secrets stay out; --print --json lists exactly those keys', async () => {
    const {home, rec, env, spor} = setup();
    const repo = gitRepo();
    await spor([
      'config',
      'set',
      'harness.claude-code.env',
      '{"ANTHROPIC_BASE_URL":"http://127.0.0.1:9","CLAUDE_CODE_MAX_RETRIES":"0"}',
    ]);
    await spor(['config', 'set', 'harness.claude-code.args', '["--add-dir","/opt/shared docs"]']);
    const pass = {SPOR_DISPATCH_ENVPASSTHROUGH: 'STUB_*, MY_GATEWAY_TOKEN'};
    const shown = JSON.parse(
      (await spor(['dispatch', 'x', '--dir', repo, '--print', '--json'], {...SHELL, ...pass})).stdout,
    );
    const r = await spor(['dispatch', 'x', '--dir', repo], {...SHELL, ...pass});
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    const [got] = received(rec);
    expect(Object.keys(got?.env ?? {}).sort()).toEqual(Object.keys(shown.env).sort());
    expect(got?.argv.slice(-2)).toEqual(['--add-dir', '/opt/shared docs']);
    expect(got?.env).toMatchObject({
      ANTHROPIC_API_KEY: 'sk-ant-mine',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_MAX_RETRIES: '0',
      CLAUDE_CODE_USE_BEDROCK: '1',
      HTTPS_PROXY: 'http://proxy:3128',
      NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem',
      TERM: 'xterm-256color',
      MY_GATEWAY_TOKEN: 'gw',
    });
    expect(shown.env).toMatchObject({
      PATH: 'basic',
      ANTHROPIC_API_KEY: 'claude-code',
      ANTHROPIC_BASE_URL: 'harness.claude-code.env',
      MY_GATEWAY_TOKEN: 'dispatch.envPassthrough',
    });
    for (const secret of [
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'NPM_TOKEN',
      'SSH_AUTH_SOCK',
      'DB_PASSWORD',
      'SPOR_API_KEY',
      'OPENAI_API_KEY',
    ])
      expect(got?.env[secret]).toBeUndefined();
    // The claim names the keys, never a value.
    const started = readLog(home).find((e) => e.type === 'dispatch-started');
    expect((started?.data as {env_keys: Array<string>}).env_keys).toEqual(Object.keys(shown.env).sort());
    expect(JSON.stringify(readLog(home))).not.toContain('sk-ant-mine');
    const text = (await spor(['dispatch', 'x', '--dir', repo, '--print'], {...SHELL, ...pass})).stdout;
    expect(text).toMatch(/env {9}.*basic: .*PATH/);
    expect(text).not.toContain('sk-ant-mine');
  });

  it('codex gets OPENAI_*/CODEX_*, not Claude’s; a bad harness.<name>.env is exit 2 naming the key', async () => {
    const {home, rec, env, spor} = setup();
    const repo = gitRepo();
    await spor(['profile', 'create', 'cx', '--harness', 'codex']);
    await spor(['capabilities', 'probe']);
    const r = await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-cx'], {...SHELL, CODEX_HOME: '/c'});
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    const [got] = received(rec);
    expect(got?.env).toMatchObject({OPENAI_API_KEY: 'sk-oai-mine', CODEX_HOME: '/c'});
    expect(got?.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(got?.env.GITHUB_TOKEN).toBeUndefined();
    await spor(['config', 'set', 'harness.codex.env', '{"K":']);
    const bad = await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-cx']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('harness.codex.env is not valid JSON');
  });
});
