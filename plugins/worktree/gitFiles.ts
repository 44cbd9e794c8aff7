import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';

// Answers a dispatch needs before anything is created, read from the repository's own files
// (gitrepository-layout(5)) where that is certain, so that a dispatch starts fewer git processes:
// each costs the dispatch a fork of itself and the git start-up, on its critical path. Each
// returns undefined whenever the files do not settle it, and the caller asks git.

/** The repository directory of a checkout whose `.git` is a directory (a plain clone); else undefined. */
export const plainGitDir = (top: string): string | undefined => {
  const dir = join(top, '.git');
  try {
    return statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
};

/** Whether `refs/heads/<branch>` exists, from its loose ref or packed-refs; undefined with reftable. */
export const branchOnDisk = (gitDir: string, branch: string): boolean | undefined => {
  if (existsSync(join(gitDir, 'reftable'))) return undefined;
  const ref = `refs/heads/${branch}`;
  try {
    if (statSync(join(gitDir, ...ref.split('/'))).isFile()) return true;
  } catch {
    /* no loose ref */
  }
  let packed: string;
  try {
    packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
  } catch {
    return false;
  }
  return packed.split('\n').some((line) => !line.startsWith('#') && !line.startsWith('^') && line.endsWith(` ${ref}`));
};

/**
 * True when `info/exclude` has the very line spor adds for the worktree folder (`/<rel>/`, see
 * ignore.ts); undefined otherwise (another rule may still cover it: git knows).
 */
export const excludedOnDisk = (gitDir: string, line: string): true | undefined => {
  try {
    return readFileSync(join(gitDir, 'info', 'exclude'), 'utf8')
      .split('\n')
      .includes(line)
      ? true
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Whether git has a worktree registered at `path` (one whose folder was deleted by hand, say),
 * read from its administrative files (`<common dir>/worktrees/*\/gitdir`, beside `info/exclude`)
 * rather than by starting git; undefined when they cannot be read, and git must be asked.
 */
export const registeredAt = (excludeFile: string, path: string): boolean | undefined => {
  const admin = join(dirname(dirname(excludeFile)), 'worktrees');
  if (!existsSync(admin)) return false;
  try {
    return readdirSync(admin).some((name) => {
      const gitdir = join(admin, name, 'gitdir');
      return existsSync(gitdir) && dirname(readFileSync(gitdir, 'utf8').trim()) === path;
    });
  } catch {
    return undefined;
  }
};
