import {RefusalError} from '../../core/errors.js';
import {cleanEnv} from './env.js';

export interface GitResult { ok: boolean; exitCode: number | undefined; stdout: string; stderr: string }

/** Runs git in `cwd` (without a shell) and never throws for what git reports; a missing git is a refusal. */
export type Git = (cwd: string, args: ReadonlyArray<string>, opts?: {write?: boolean}) => Promise<GitResult>;

/**
 * A git runner with the caller's environment minus git location variables. Reads pass
 * GIT_OPTIONAL_LOCKS=0 so that `git status` never rewrites the index of the checkout it looks at
 * (a plan or a listing must not change anything); prompts are off, since nobody answers them.
 */
export const gitRunner = (env: NodeJS.ProcessEnv): Git => {
  const base = {...cleanEnv(env), GIT_TERMINAL_PROMPT: '0'};
  return async (cwd, args, opts = {}) => {
    // execa is loaded only when git is needed: most commands never are.
    const {execa} = await import('execa');
    const r = await execa('git', [...args], {
      cwd, env: opts.write ? base : {...base, GIT_OPTIONAL_LOCKS: '0'}, extendEnv: false, shell: false, reject: false, stdin: 'ignore',
    });
    if (r.exitCode === undefined && (r as {code?: string}).code === 'ENOENT') {
      throw new RefusalError('git is not on PATH', {code: 'E_GIT_MISSING', hint: 'install git, or add it to PATH'});
    }
    return {ok: r.exitCode === 0, exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr)};
  };
};

/** git's own complaint, on one line, for an error message. */
export const gitComplaint = (r: GitResult): string =>
  (r.stderr.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).find((l) => l !== '') ?? `git exited ${r.exitCode ?? '?'}`);

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  path: string;
  head?: string;
  /** `refs/heads/…`, absent for a detached HEAD. */
  branch?: string;
  bare: boolean;
  /** git knows the directory is gone (or otherwise stale). */
  prunable: boolean;
}

/** Parses `git worktree list --porcelain`: blocks separated by blank lines, the main checkout first. */
export const parseWorktreeList = (text: string): Array<WorktreeEntry> => {
  const entries: Array<WorktreeEntry> = [];
  let current: WorktreeEntry | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('worktree ')) {
      current = {path: line.slice('worktree '.length), bare: false, prunable: false};
      entries.push(current);
    } else if (!current) continue;
    else if (line.startsWith('HEAD ')) current.head = line.slice(5);
    else if (line.startsWith('branch ')) current.branch = line.slice(7);
    else if (line === 'bare') current.bare = true;
    else if (line === 'prunable' || line.startsWith('prunable ')) current.prunable = true;
  }
  return entries;
};
