import {existsSync} from 'node:fs';
import {parseWorktreeList, type Git, type WorktreeEntry} from './git.js';
import type {WorktreeRecord} from './projection.js';

/** One dispatch worktree as `spor worktrees list --json` shows it. */
export interface WorktreeStatus {
  path: string;
  /** The main checkout it belongs to. */
  repo: string;
  /** The branch checked out there now (the recorded one when the worktree is gone). */
  branch: string;
  /** The latest run started in it, if a `dispatch-started` named it. */
  run: string | null;
  /** That run recorded its end. */
  run_ended: boolean;
  /** The folder is there and git lists it as a worktree. */
  exists: boolean;
  /** No uncommitted change (tracked or untracked, ignored files aside); null when it does not exist. */
  clean: boolean | null;
  /** How many `git status --porcelain` lines; null when it does not exist. */
  changes: number | null;
  /** The branch is an ancestor of the main checkout's HEAD; null when the branch is gone. */
  merged: boolean | null;
  /** spor cut the branch (so prune may delete it once merged). */
  created_branch: boolean;
  created_at: string;
}

const listOf = async (git: Git, repo: string): Promise<Array<WorktreeEntry>> => {
  if (!existsSync(repo)) return [];
  const r = await git(repo, ['worktree', 'list', '--porcelain']);
  return r.ok ? parseWorktreeList(r.stdout) : [];
};

const statusOf = async (
  git: Git,
  record: WorktreeRecord,
  listed: ReadonlyArray<WorktreeEntry>,
): Promise<WorktreeStatus> => {
  const entry = listed.find((w) => w.path === record.path);
  const exists = entry !== undefined && !entry.prunable && existsSync(record.path);
  const branch = exists && entry.branch ? entry.branch.replace(/^refs\/heads\//, '') : record.branch;
  const [status, ref] = await Promise.all([
    exists ? git(record.path, ['status', '--porcelain']) : undefined,
    existsSync(record.repo) ? git(record.repo, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]) : undefined,
  ]);
  const changes = status?.ok ? status.stdout.split('\n').filter((l) => l.trim() !== '').length : null;
  const merged = ref?.ok
    ? (await git(record.repo, ['merge-base', '--is-ancestor', `refs/heads/${branch}`, 'HEAD'])).ok
    : null;
  return {
    path: record.path,
    repo: record.repo,
    branch,
    run: record.run,
    run_ended: record.run_ended,
    exists,
    clean: changes === null ? null : changes === 0,
    changes,
    merged,
    created_branch: record.created_branch,
    created_at: record.created_at,
  };
};

/**
 * Looks at each recorded dispatch worktree on disk and in git (one `git worktree list` per
 * repository, then status and merge checks in parallel), sorted by path. Reads only.
 */
export const inspectWorktrees = async (
  git: Git,
  records: ReadonlyArray<WorktreeRecord>,
): Promise<Array<WorktreeStatus>> => {
  const repos = [...new Set(records.map((r) => r.repo))];
  const lists = new Map(await Promise.all(repos.map(async (repo) => [repo, await listOf(git, repo)] as const)));
  const rows = await Promise.all(records.map((r) => statusOf(git, r, lists.get(r.repo) ?? [])));
  return rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};

/** Why prune keeps a worktree without trying to remove it, or undefined when it may go. */
export const pruneBlocker = (row: WorktreeStatus, now: Date, graceMs: number): string | undefined => {
  if (row.run !== null && !row.run_ended) return `run ${row.run} has not ended`;
  if (!row.exists) return undefined;
  if (row.run === null) {
    const age = now.getTime() - Date.parse(row.created_at);
    if (age < graceMs)
      return `no run recorded for it yet (made ${Math.max(0, Math.round(age / 1000))}s ago): a dispatch may still be preparing it`;
  }
  if (row.clean === false) return `${row.changes ?? 'some'} uncommitted change${row.changes === 1 ? '' : 's'}`;
  return undefined;
};
