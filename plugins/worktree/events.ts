import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

/**
 * A dispatch worktree is ready at `path` on `branch`, in the repository whose main checkout is
 * `repo`. `reused`: it already existed and was taken as it was; `created_branch`: this call made
 * the branch (cut from the repo's HEAD), so a failed setup may delete it again.
 */
export type WorktreeCreated = SporEvent<
  'worktree-created',
  1,
  {
    path: string;
    branch: string;
    repo: string;
    reused: boolean;
    created_branch: boolean;
    /** The ignored files `.worktreeinclude` named that were copied in (paths relative to the checkout). */
    included?: Array<string>;
  }
>;
/**
 * The setup command ran in the worktree. `exit` is null when it was killed (`signal`) or could not
 * be started (`error`).
 */
export type WorktreeSetupRan = SporEvent<
  'worktree-setup-ran',
  1,
  {
    path: string;
    argv: Array<string>;
    exit: number | null;
    signal: string | null;
    duration_ms: number;
    error?: string;
  }
>;
/** spor removed a dispatch worktree (or forgot one that was already gone); `branch_deleted` when it deleted the branch too. */
export type WorktreeRemoved = SporEvent<'worktree-removed', 1, {path: string; branch: string; branch_deleted: boolean}>;
/**
 * This machine approved a worktree setup command that comes from the committed `.spor.json` of the
 * repository whose main checkout is `repo`: exactly this argv with an executable whose bytes hash,
 * together with the argv, to `sha256` (see fingerprint.ts).
 */
export type SetupApproved = SporEvent<'setup-approved', 1, {repo: string; argv: Array<string>; sha256: string}>;
export type WorktreeEvent = WorktreeCreated | WorktreeSetupRan | WorktreeRemoved | SetupApproved;

declare module '../../core/events.js' {
  interface SporEventMap {
    'worktree-created': WorktreeCreated;
    'worktree-setup-ran': WorktreeSetupRan;
    'worktree-removed': WorktreeRemoved;
    'setup-approved': SetupApproved;
  }
}

const setupSummary = (d: WorktreeSetupRan['data']): string => {
  const how =
    d.error !== undefined
      ? `could not start (${d.error})`
      : d.exit !== null
        ? `exit ${d.exit}`
        : `killed by ${d.signal ?? 'a signal'}`;
  return `${d.argv.join(' ')} in ${d.path}: ${how} in ${d.duration_ms}ms`;
};

export const worktreeEvents = defineEvents<WorktreeEvent>({
  'worktree-created': {
    v: 1,
    data: t.isObject({
      path: t.isString(),
      branch: t.isString(),
      repo: t.isString(),
      reused: t.isBoolean(),
      created_branch: t.isBoolean(),
      included: t.isOptional(t.isArray(t.isString())),
    }),
    hookEnv: (d) => ({SPOR_WORKTREE: d.path, SPOR_WORKTREE_BRANCH: d.branch, SPOR_MAIN_CHECKOUT: d.repo}),
    summary: (d) =>
      `${d.path} on ${d.branch}${d.reused ? ' (reused)' : d.created_branch ? ' (new branch)' : ' (existing branch)'}`,
  },
  'worktree-setup-ran': {
    v: 1,
    data: t.isObject({
      path: t.isString(),
      argv: t.isArray(t.isString()),
      exit: t.isNullable(t.isNumber()),
      signal: t.isNullable(t.isString()),
      duration_ms: t.isNumber(),
      error: t.isOptional(t.isString()),
    }),
    hookEnv: (d) => ({SPOR_WORKTREE: d.path, SPOR_SETUP_EXIT: d.exit === null ? '' : String(d.exit)}),
    summary: setupSummary,
  },
  'worktree-removed': {
    v: 1,
    data: t.isObject({path: t.isString(), branch: t.isString(), branch_deleted: t.isBoolean()}),
    hookEnv: (d) => ({SPOR_WORKTREE: d.path, SPOR_WORKTREE_BRANCH: d.branch}),
    summary: (d) => `${d.path}${d.branch_deleted ? ` and branch ${d.branch}` : ` (branch ${d.branch} kept)`}`,
  },
  'setup-approved': {
    v: 1,
    data: t.isObject({repo: t.isString(), argv: t.isArray(t.isString()), sha256: t.isString()}),
    hookEnv: (d) => ({SPOR_APPROVED_REPO: d.repo}),
    summary: (d) => `${d.argv.join(' ')} in ${d.repo} (sha256 ${d.sha256.slice(0, 12)})`,
  },
});
