// Git location variables a parent may have set (a hook run by git, a shell inside a worktree):
// passed on, they would point the agent's git at another repository than the one it works in.
const GIT_LOCATION = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
]);

// spor's own credentials and internals never reach an agent.
const SPOR_SECRET = /^SPOR_.*(TOKEN|SECRET|KEY|PASSWORD|CREDENTIAL)/;
const SPOR_INTERNAL = new Set(['SPOR_HOOK_DEPTH', 'SPOR_HOOK_NAME', 'SPOR_ENTRY']);

/**
 * The environment of the supervisor dispatch starts: spor itself (it needs SPOR_HOME and the user's
 * SPOR_* settings, and runs the hooks of the run's events), so the user's own, minus git location
 * variables and spor's secrets. The harness it starts gets the filtered environment dispatch
 * planned (`launchParts.ts`), not this.
 */
export const supervisorEnv = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || GIT_LOCATION.has(k) || SPOR_SECRET.test(k) || SPOR_INTERNAL.has(k)) continue;
    out[k] = v;
  }
  return out;
};
