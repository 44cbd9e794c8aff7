// How a harness reaches the fake model: the environment and argv a user would give it to point it
// at a gateway, which is also what spor's `harness.<name>.env` / `harness.<name>.args` carry.
import type {FakeModel} from '../fakeModel/index.js';

/** The fake key; a real one never enters a test. */
export const FAKE_KEY = 'sk-fake-model';

/** The environment variable codex reads the fake provider's key from. */
export const CODEX_KEY_ENV = 'FAKE_MODEL_KEY';

/**
 * Claude Code against the fake: its base URL and key, no non-essential traffic (no session-title
 * request, no calls home), and no retries (a dead server fails in ~2 s instead of 10 backed-off
 * retries).
 */
export const claudeEnv = (fake: Pick<FakeModel, 'url'>): Record<string, string> => ({
  ANTHROPIC_BASE_URL: fake.url,
  ANTHROPIC_API_KEY: FAKE_KEY,
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  CLAUDE_CODE_MAX_RETRIES: '0',
});

/** Claude Code needs no extra argv to reach the fake. */
export const claudeArgs = (): Array<string> => [];

/** codex's key for the fake provider (codexArgs names the variable). */
export const codexEnv = (): Record<string, string> => ({[CODEX_KEY_ENV]: FAKE_KEY});

/**
 * codex `exec` argv that selects the fake as a custom Responses provider, each `-c` value one argv
 * element. `--disable plugins` stops the plugin marketplace sync (a `git ls-remote` to GitHub) on
 * every run; analytics off is hygiene.
 */
export const codexArgs = (fake: Pick<FakeModel, 'url'>): Array<string> => [
  '--disable',
  'plugins',
  '-c',
  'analytics.enabled=false',
  '-c',
  'model_provider=fake',
  '-c',
  `model_providers.fake={name="fake",base_url="${fake.url}/v1",wire_api="responses",env_key="${CODEX_KEY_ENV}",supports_websockets=false}`,
];

/**
 * The spor settings that point both harnesses at the fake, as `spor config set <key> <value>`
 * takes them (JSON). codex also needs its home (`codexHome`: the sandbox's, pre-created).
 */
export const sporHarnessSettings = (fake: Pick<FakeModel, 'url'>, codexHome: string): Record<string, string> => ({
  'harness.claude-code.env': JSON.stringify(claudeEnv(fake)),
  'harness.claude-code.args': JSON.stringify(claudeArgs()),
  'harness.codex.env': JSON.stringify({...codexEnv(), CODEX_HOME: codexHome}),
  'harness.codex.args': JSON.stringify(codexArgs(fake)),
});
