// Running spor itself against the real CLIs and the fake: the environment a user would give it
// (the harness's own variables, and codex's provider in its own config file), nothing test-only.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {FakeModel} from '../fakeModel/index.js';
import {runSpor} from '../runSpor.js';
import {harnessInstall} from './install.js';
import {harnessPath, type Sandbox} from './sandbox.js';
import {claudeEnv, CODEX_KEY_ENV, codexEnv} from './settings.js';

/**
 * codex's `config.toml` in the sandbox's CODEX_HOME: the fake as a custom Responses provider, no
 * plugin sync (`--disable plugins`), no analytics. What `codexArgs` passes as `-c`, as a user's file.
 */
export const writeCodexConfig = (sb: Sandbox, fake: Pick<FakeModel, 'url'>): void => {
  writeFileSync(
    join(sb.codexHome, 'config.toml'),
    [
      'model_provider = "fake"',
      '[model_providers.fake]',
      'name = "fake"',
      `base_url = "${fake.url}/v1"`,
      'wire_api = "responses"',
      `env_key = "${CODEX_KEY_ENV}"`,
      'supports_websockets = false',
      '[features]',
      'plugins = false',
      '[analytics]',
      'enabled = false',
      '',
    ].join('\n'),
  );
};

/** spor's environment in the sandbox: PATH with the pinned CLIs, both harnesses pointed at the fake. */
export const sporHarnessEnv = (sb: Sandbox, fake: Pick<FakeModel, 'url'>): Record<string, string> => ({
  PATH: harnessPath(harnessInstall().binDir),
  TMPDIR: sb.tmp,
  CODEX_HOME: sb.codexHome,
  ...claudeEnv(fake),
  ...codexEnv(),
  // The harness gets a filtered environment: codex's provider key has a name of the user's choosing
  // and IS_SANDBOX is no vendor prefix, so they pass the way a user passes them (dispatch.envPassthrough).
  SPOR_DISPATCH_ENVPASSTHROUGH: `${CODEX_KEY_ENV},IS_SANDBOX`,
});

/** `spor <args>` with HOME = the sandbox's home (so SPOR_HOME = sb.sporHome). */
export const spor = (
  sb: Sandbox,
  fake: Pick<FakeModel, 'url'>,
  args: Array<string>,
  env: Record<string, string> = {},
) => runSpor(args, {home: sb.home, env: {...sporHarnessEnv(sb, fake), ...env}, timeout: 90_000});
