import {describe, expect, it} from 'vitest';
import type {SettingsView, SettingValue} from '../../../../core/index.js';
import {
  choosePosture,
  harnessEnvironment,
  launchSettingsOf,
  longFlags,
  missingFlag,
} from '../../../../plugins/dispatch/launchParts.js';
import {claudeAdapter} from '../../../../plugins/harness-claude/adapter.js';
import {codexAdapter} from '../../../../plugins/harness-codex/adapter.js';
import {flagsFrom} from '../../../../plugins/capabilities/api.js';

const view = (values: Record<string, SettingValue>): SettingsView => ({
  get: (key) =>
    ({
      key,
      value: values[key] ?? (key === 'dispatch.posture' ? 'edit' : ''),
      source: key in values ? 'machine' : 'default',
      definition: {key, type: 'string', default: '', description: ''},
    }) as ReturnType<SettingsView['get']>,
});

// A user's shell as it often is: credentials for everything next to what an agent needs.
const USER_ENV = {
  PATH: '/usr/bin',
  HOME: '/home/jo',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TERM: 'xterm',
  HTTPS_PROXY: 'http://proxy:3128',
  NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
  SPOR_HOME: '/home/jo/.spor',
  SPOR_API_KEY: 'spor-secret',
  SPOR_TOKEN: 'spor-token',
  GITHUB_TOKEN: 'ghp',
  GH_TOKEN: 'gh',
  AWS_ACCESS_KEY_ID: 'AKIA',
  AWS_SECRET_ACCESS_KEY: 's',
  NPM_TOKEN: 'npm',
  SSH_AUTH_SOCK: '/tmp/ssh',
  DB_PASSWORD: 'pw',
  GIT_DIR: '/elsewhere/.git',
  ANTHROPIC_API_KEY: 'sk-ant',
  ANTHROPIC_BASE_URL: 'http://gw',
  CLAUDE_CODE_USE_BEDROCK: '1',
  CLAUDE_CONFIG_DIR: '/cfg',
  OPENAI_API_KEY: 'sk-oai',
  CODEX_HOME: '/codex',
  MY_GATEWAY_TOKEN: 'mine',
};

describe('the harness environment (one filter)', () => {
  it('gives Claude Code the basics, SPOR_HOME and its vendor variables; no other credential passes', () => {
    const {env, sources} = harnessEnvironment(USER_ENV, claudeAdapter, {
      settings: view({}),
      settingEnv: {},
      adapterEnv: {},
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        'PATH',
        'HOME',
        'LANG',
        'LC_ALL',
        'TERM',
        'HTTPS_PROXY',
        'NODE_EXTRA_CA_CERTS',
        'SPOR_HOME',
        'ANTHROPIC_API_KEY',
        'ANTHROPIC_BASE_URL',
        'CLAUDE_CODE_USE_BEDROCK',
        'CLAUDE_CONFIG_DIR',
      ].sort(),
    );
    expect(sources).toMatchObject({PATH: 'basic', ANTHROPIC_API_KEY: 'claude-code', CLAUDE_CONFIG_DIR: 'claude-code'});
  });

  it("gives codex its own vendor's variables, not Claude's", () => {
    const {env} = harnessEnvironment(USER_ENV, codexAdapter, {settings: view({}), settingEnv: {}, adapterEnv: {}});
    expect(env).toMatchObject({OPENAI_API_KEY: 'sk-oai', CODEX_HOME: '/codex'});
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('adds dispatch.envPassthrough (names and prefixes) and harness.<name>.env, which wins; spor secrets and git location never pass', () => {
    const {env, sources} = harnessEnvironment(USER_ENV, claudeAdapter, {
      settings: view({'dispatch.envPassthrough': 'MY_GATEWAY_TOKEN, AWS_*  SPOR_*,GIT_DIR'}),
      settingEnv: {ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', CLAUDE_CODE_MAX_RETRIES: '0'},
      adapterEnv: {},
    });
    expect(env).toMatchObject({
      MY_GATEWAY_TOKEN: 'mine',
      AWS_ACCESS_KEY_ID: 'AKIA',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_MAX_RETRIES: '0',
    });
    expect(sources).toMatchObject({
      MY_GATEWAY_TOKEN: 'dispatch.envPassthrough',
      ANTHROPIC_BASE_URL: 'harness.claude-code.env',
    });
    for (const never of ['SPOR_API_KEY', 'SPOR_TOKEN', 'GIT_DIR', 'GITHUB_TOKEN']) expect(env[never]).toBeUndefined();
  });

  it('refuses a passthrough entry that is not a name or a prefix, naming it', () => {
    expect(() =>
      harnessEnvironment(USER_ENV, claudeAdapter, {
        settings: view({'dispatch.envPassthrough': 'OK, *'}),
        settingEnv: {},
        adapterEnv: {},
      }),
    ).toThrow(/dispatch.envPassthrough has '\*'/);
  });
});

describe('harness.<name>.env / .args', () => {
  const has = () => true;
  it('reads a JSON object and a JSON array', () => {
    expect(
      launchSettingsOf(
        view({'harness.codex.env': '{"K":"v"}', 'harness.codex.args': '["--disable","plugins"]'}),
        has,
        'codex',
      ),
    ).toEqual({env: {K: 'v'}, args: ['--disable', 'plugins']});
    expect(launchSettingsOf(view({}), has, 'codex')).toEqual({env: {}, args: []});
  });
  it('refuses bad JSON or a wrong shape, naming the key (exit 2)', () => {
    expect(() => launchSettingsOf(view({'harness.codex.env': '{'}), has, 'codex')).toThrow(
      /harness.codex.env is not valid JSON/,
    );
    expect(() => launchSettingsOf(view({'harness.codex.env': '{"K":1}'}), has, 'codex')).toThrow(/JSON object/);
    expect(() => launchSettingsOf(view({'harness.codex.args': '"--x"'}), has, 'codex')).toThrow(/JSON array/);
  });
});

describe('the posture', () => {
  it('--posture > the profile > dispatch.posture > edit; an unknown one names the valid ones', () => {
    expect(choosePosture(undefined, undefined, view({}), '/r')).toEqual({posture: 'edit', source: 'default'});
    expect(choosePosture(undefined, undefined, view({'dispatch.posture': 'full'}), '/r')).toEqual({
      posture: 'full',
      source: 'setting',
    });
    expect(choosePosture(undefined, {id: 'p', posture: 'read-only'}, view({'dispatch.posture': 'full'}), '/r')).toEqual(
      {posture: 'read-only', source: 'profile'},
    );
    expect(choosePosture('full', {id: 'p', posture: 'read-only'}, view({}), '/r')).toEqual({
      posture: 'full',
      source: 'flag',
    });
    expect(() => choosePosture('yolo', undefined, view({}), '/r')).toThrow(
      expect.objectContaining({
        message: "unknown posture 'yolo' (from --posture)",
        hint: 'valid postures: read-only, edit, full',
        exitCode: 2,
      }),
    );
  });
});

describe('flags the installed CLI lacks', () => {
  it('reads long flags from help text, both spellings of an alias', () => {
    expect(
      flagsFrom('  -s, --sandbox <MODE>\n  --allowedTools, --allowed-tools <tools...>\n  e.g. --tmux=classic'),
    ).toEqual(['allowed-tools', 'allowedTools', 'sandbox', 'tmux']);
  });
  it('names the version and every flag missing from what the probe read of this binary', () => {
    const argv = codexAdapter.launch({
      binary: '/bin/codex',
      cwd: '/w',
      reportFile: '/r',
      flags: {},
      posture: 'edit',
      args: [],
    }).argv;
    expect(longFlags(argv)).toEqual(['json', 'sandbox', 'output-last-message']);
    const facts = {path: '/bin/codex', version: '0.40.0', flags: 'json sandbox'};
    expect(missingFlag(codexAdapter, argv, facts)).toMatchObject({
      code: 'E_HARNESS_FLAG_UNSUPPORTED',
      message: 'codex 0.40.0 (/bin/codex) does not accept --output-last-message: `codex exec --help` does not list it',
    });
    expect(missingFlag(codexAdapter, argv, {...facts, flags: 'json sandbox output-last-message'})).toBeUndefined();
    // a probe of another binary, or one that could not read the flags, says nothing about this one
    expect(missingFlag(codexAdapter, argv, {...facts, path: '/other/codex'})).toBeUndefined();
    expect(missingFlag(codexAdapter, argv, {path: '/bin/codex', flags_error: 'x'})).toBeUndefined();
  });
});
