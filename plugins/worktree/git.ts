import {nodeChildProcess, RefusalError} from '../../core/index.js';
import {cleanEnv} from './env.js';

// git's answers here are short (a worktree list of a very busy checkout is the longest).
const MAX_OUTPUT = 64 * 1024 * 1024;

export interface GitResult {
  ok: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs git in `cwd` (without a shell) and never throws for what git reports; a missing git is a
 * refusal. `wait: true` runs it synchronously: a dispatch's few git calls wait on each other
 * anyway, and an asynchronous child's pipes and streams cost a fresh process more than the wait.
 */
export type Git = (
  cwd: string,
  args: ReadonlyArray<string>,
  opts?: {write?: boolean; wait?: boolean},
) => Promise<GitResult>;

const missing = (): RefusalError =>
  new RefusalError('git is not on PATH', {code: 'E_GIT_MISSING', hint: 'install git, or add it to PATH'});

/**
 * A git runner with the caller's environment minus git location variables. Reads pass
 * GIT_OPTIONAL_LOCKS=0 so that `git status` never rewrites the index of the checkout it looks at
 * (a plan or a listing must not change anything); prompts are off, since nobody answers them.
 * Plain child_process rather than execa: a dispatch asks git a few short questions on its
 * critical path, and loading execa cost it more (~9 ms) than git answering them.
 */
export const gitRunner = (env: NodeJS.ProcessEnv): Git => {
  const base = {...cleanEnv(env), GIT_TERMINAL_PROMPT: '0'};
  return async (cwd, args, opts = {}) => {
    const options = {
      cwd,
      env: opts.write ? base : {...base, GIT_OPTIONAL_LOCKS: '0'},
      shell: false,
      encoding: 'utf8' as const,
      maxBuffer: MAX_OUTPUT,
    };
    if (opts.wait) {
      const r = nodeChildProcess().spawnSync('git', [...args], {...options, stdio: ['ignore', 'pipe', 'pipe']});
      if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw missing();
      const exitCode = r.status ?? undefined;
      return {ok: exitCode === 0, exitCode, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
    }
    return new Promise((resolve, reject) => {
      nodeChildProcess()
        .execFile('git', [...args], options, (error, stdout, stderr) => {
          const code = (error as (NodeJS.ErrnoException & {code?: unknown}) | null)?.code;
          if (code === 'ENOENT') {
            reject(missing());
            return;
          }
          const exitCode = error === null ? 0 : typeof code === 'number' ? code : undefined;
          resolve({ok: exitCode === 0, exitCode, stdout, stderr});
        })
        .stdin?.end();
    });
  };
};

/** git's own complaint, on one line, for an error message. */
export const gitComplaint = (r: GitResult): string =>
  r.stderr
    .split('\n')
    .map((l) => l.replace(/^(fatal|error): /, '').trim())
    .find((l) => l !== '') ?? `git exited ${r.exitCode ?? '?'}`;

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
