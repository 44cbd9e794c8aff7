import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {dirname, isAbsolute, relative, sep} from 'node:path';
import type {Git} from './git.js';
import {excludedOnDisk, plainGitDir} from './gitFiles.js';

// A folder name as a literal gitignore pattern: glob characters, a leading # or ! and trailing
// spaces would otherwise mean something.
const literal = (path: string): string =>
  path
    .replace(/[\\*?[\]]/g, (c) => `\\${c}`)
    .replace(/^([#!])/, '\\$1')
    .replace(/ $/, '\\ ');

/**
 * Whether an ignore rule of the checkout at `root` already covers `folder` (false when it is
 * outside). The rule spor itself adds is read from info/exclude; any other is git's to tell.
 */
export const isIgnored = async (git: Git, root: string, folder: string): Promise<boolean> => {
  const rel = insideOf(root, folder);
  if (rel === undefined) return false;
  const gitDir = plainGitDir(root);
  if (gitDir && excludedOnDisk(gitDir, `/${literal(rel)}/`)) return true;
  return (await git(root, ['check-ignore', '-q', `${rel}/`], {wait: true})).exitCode === 0;
};

// The folder relative to the checkout, with forward slashes; undefined when it is not inside it.
const insideOf = (root: string, folder: string): string | undefined => {
  const inside = relative(root, folder);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return inside.split(sep).join('/');
};

/**
 * Makes sure `folder` (inside the checkout at `root`) is git-ignored, so worktrees in it never show
 * up in the main checkout's `git status`. When no ignore rule covers it yet, appends `/<folder>/`
 * to the repository's `info/exclude` (this machine's, never committed) rather than touching the
 * tracked `.gitignore`. A folder outside the checkout is left alone. Returns true when it had to
 * add the line.
 */
export const ensureIgnored = async (git: Git, root: string, excludeFile: string, folder: string): Promise<boolean> => {
  const rel = insideOf(root, folder);
  // A reused worktree can live outside the checkout (one the user made elsewhere): nothing to hide.
  if (rel === undefined || (await isIgnored(git, root, folder))) return false;
  const line = `/${literal(rel)}/`;
  const existing = existsSync(excludeFile) ? readFileSync(excludeFile, 'utf8') : '';
  if (existing.split('\n').includes(line)) return false;
  mkdirSync(dirname(excludeFile), {recursive: true});
  appendFileSync(
    excludeFile,
    `${existing === '' || existing.endsWith('\n') ? '' : '\n'}# spor: dispatch worktrees (worktree.dir)\n${line}\n`,
  );
  return true;
};
