import {BASIC_ENV, filterEnv} from '../../core/index.js';

/**
 * The variables that tie git to one repository (what `git rev-parse --local-env-vars` lists). A
 * spor started from inside a git hook or another tool can inherit them; passed on, they would make
 * git in the worktree, or in a setup script, act on some other repository.
 */
export const GIT_LOCATION_VARS: ReadonlyArray<string> = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];

// spor's own credentials (a server token in remote mode) are never handed to programs it starts.
const SPOR_SECRET = /^SPOR_\w*(TOKEN|SECRET)\w*$/;
// GIT_CONFIG_COUNT comes with numbered GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n> pairs.
const GIT_CONFIG_PAIR = /^GIT_CONFIG_(KEY|VALUE)_\d+$/;

/** `env` without git location variables and spor's secrets; values that are undefined are dropped. */
export const cleanEnv = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const drop = new Set(GIT_LOCATION_VARS);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || drop.has(name) || GIT_CONFIG_PAIR.test(name) || SPOR_SECRET.test(name)) continue;
    out[name] = value;
  }
  return out;
};

/** What a setup command is told about the run it prepares. */
export interface SetupContext {
  worktree: string;
  mainCheckout: string;
  slug?: string;
  nodeId?: string;
}

/**
 * The setup command's environment, through the one filter (core/childEnv.ts): the basics (PATH,
 * HOME, locale, terminal, proxy and CA variables) and the user's `worktree.setupEnv` names, never
 * their other credentials (GITHUB_TOKEN, AWS_*, SSH_AUTH_SOCK, SPOR_API_KEY…), plus SPOR_WORKTREE,
 * SPOR_MAIN_CHECKOUT, SPOR_DISPATCH_SLUG and SPOR_DISPATCH_NODE (empty when the run has no slug or node).
 */
export const setupEnv = (
  env: NodeJS.ProcessEnv,
  ctx: SetupContext,
  passEnv: ReadonlyArray<string> = [],
): Record<string, string> => ({
  ...filterEnv(env, [
    {source: 'basic', patterns: BASIC_ENV},
    {source: 'worktree.setupEnv', patterns: passEnv},
  ]).env,
  SPOR_WORKTREE: ctx.worktree,
  SPOR_MAIN_CHECKOUT: ctx.mainCheckout,
  SPOR_DISPATCH_SLUG: ctx.slug ?? '',
  SPOR_DISPATCH_NODE: ctx.nodeId ?? '',
});
