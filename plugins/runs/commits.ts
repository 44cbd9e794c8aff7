import {existsSync} from 'node:fs';
import {nodeChildProcess} from '../../core/index.js';
import type {RunRecord} from './api.js';

/** One commit on a run's branch. */
export interface RunCommit {
  sha: string;
  author: string;
  subject: string;
}

/**
 * The commits on a run's branch since the base its worktree was cut from, newest first (git's
 * order); undefined for a run without a worktree branch, or when git cannot say (the branch or the
 * repository is gone).
 */
export const runCommits = (run: RunRecord, env: NodeJS.ProcessEnv): Array<RunCommit> | undefined => {
  if (!run.branch || !run.base) return undefined;
  const cwd = run.worktree && existsSync(run.worktree) ? run.worktree : run.dir;
  if (!existsSync(cwd)) return undefined;
  const r = nodeChildProcess().spawnSync(
    'git',
    ['log', '--format=%H%x00%an <%ae>%x00%s', `${run.base}..refs/heads/${run.branch}`, '--'],
    {cwd, env: {...env, GIT_OPTIONAL_LOCKS: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']},
  );
  if (r.status !== 0) return undefined;
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [sha = '', author = '', subject = ''] = l.split('\0');
      return {sha, author, subject};
    });
};
