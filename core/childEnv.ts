// The one environment filter for programs spor starts on the user's behalf that run code it did
// not write: a harness (an agent CLI, and the commands its model chooses) and a worktree setup
// command (a repository's script). Both get an allow-list, never the user's whole environment:
// GITHUB_TOKEN, AWS_*, NPM_TOKEN, SSH_AUTH_SOCK, DB_PASSWORD and the like stay out unless named.

/**
 * What any program needs to run like it does in the user's shell: where things are (PATH, HOME, the
 * XDG dirs, TMPDIR), who and where the user is (USER, SHELL, TZ, locale), the terminal, and how
 * this machine reaches the network (proxies and the CA bundles a corporate proxy needs).
 */
export const BASIC_ENV: ReadonlyArray<string> = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TZ',
  'LANG',
  'LANGUAGE',
  'LC_*',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
];

/**
 * Never passed, whatever a pattern says. Git location variables would point the child's git at
 * another repository than the one it works in (a spor started from a git hook inherits them);
 * spor's own credentials are spor's alone.
 */
const GIT_LOCATION =
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|PREFIX|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|IMPLICIT_WORK_TREE|GRAFT_FILE|SHALLOW_FILE|NO_REPLACE_OBJECTS|REPLACE_REF_BASE|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+)$/;
const SPOR_SECRET = /^SPOR_\w*(TOKEN|SECRET|KEY|PASSWORD|CREDENTIAL)/;

/** A name the filter never lets through. */
export const neverPassed = (name: string): boolean => GIT_LOCATION.test(name) || SPOR_SECRET.test(name);

/** A pattern: an exact variable name, or a prefix ending in `*` (`ANTHROPIC_*`). */
export const matchesEnvPattern = (name: string, pattern: string): boolean =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

const PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/**
 * A list of patterns as a user writes one in a setting (`FOO, BAR_*` or `FOO BAR_*`); `bad` is the
 * first entry that is neither a variable name nor a prefix ending in `*`.
 */
export const parseEnvPatterns = (text: string): {patterns: Array<string>; bad?: string} => {
  const patterns = text.split(/[\s,]+/).filter((p) => p !== '');
  const bad = patterns.find((p) => !PATTERN.test(p));
  return bad === undefined ? {patterns} : {patterns, bad};
};

/** One group of patterns and the name `--print` shows for where a variable came from. */
export interface EnvAllow {
  source: string;
  patterns: ReadonlyArray<string>;
}

/** A filtered environment and, per variable, the group that let it through. */
export interface FilteredEnv {
  env: Record<string, string>;
  sources: Record<string, string>;
}

/**
 * The user's variables that some group allows (the first group that matches names the source),
 * minus what is never passed. Values that are undefined are dropped.
 */
export const filterEnv = (env: NodeJS.ProcessEnv, allow: ReadonlyArray<EnvAllow>): FilteredEnv => {
  const out: FilteredEnv = {env: {}, sources: {}};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || neverPassed(name)) continue;
    const group = allow.find((g) => g.patterns.some((p) => matchesEnvPattern(name, p)));
    if (!group) continue;
    out.env[name] = value;
    out.sources[name] = group.source;
  }
  return out;
};
