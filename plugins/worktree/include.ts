import {constants, copyFileSync, existsSync, lstatSync, mkdirSync} from 'node:fs';
import {dirname, join, relative, sep} from 'node:path';
import type {Git} from './git.js';

/** The file naming which ignored files a new worktree gets a copy of (gitignore syntax; Claude Code's convention). */
export const WORKTREE_INCLUDE = '.worktreeinclude';

const nulList = (text: string): Array<string> => text.split('\0').filter((p) => p !== '');

/**
 * Copies into a new worktree the files of the main checkout that `.worktreeinclude` names and git
 * ignores (`.env`, local config): what a fresh checkout lacks, and what must never be committed.
 * A file the patterns name but git does not ignore is left alone (the worktree has it already
 * when it is tracked; an untracked one could be committed by mistake). Nothing under `skip` (the
 * worktrees' own folder) is copied, nor anything but regular files; a file already in the
 * worktree is kept. Returns the copied paths, relative to the checkout, sorted.
 */
export const copyIncluded = async (git: Git, root: string, worktree: string, skip: string): Promise<Array<string>> => {
  const list = join(root, WORKTREE_INCLUDE);
  if (!existsSync(list)) return [];
  // What git ignores: files, and whole ignored directories (listed once, with a trailing slash).
  const ignored = await git(root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'], {
    wait: true,
  });
  if (!ignored.ok) return [];
  const skipRel = relative(root, skip).split(sep).join('/');
  const under = (p: string, dir: string): boolean => dir !== '' && (p === dir || p.startsWith(`${dir}/`));
  const ignoredFiles = new Set<string>();
  const ignoredDirs: Array<string> = [];
  for (const p of nulList(ignored.stdout)) {
    if (under(p.replace(/\/$/, ''), skipRel)) continue;
    if (p.endsWith('/')) ignoredDirs.push(p.slice(0, -1));
    else ignoredFiles.add(p);
  }
  if (ignoredFiles.size === 0 && ignoredDirs.length === 0) return [];
  // What the include patterns name, among the untracked files; kept only where git ignores them.
  const named = await git(root, ['ls-files', '-z', '--others', '--ignored', `--exclude-from=${list}`], {wait: true});
  if (!named.ok) return [];
  const copied: Array<string> = [];
  for (const p of nulList(named.stdout)) {
    if (under(p, skipRel) || !(ignoredFiles.has(p) || ignoredDirs.some((d) => under(p, d)))) continue;
    const from = join(root, p);
    const to = join(worktree, p);
    try {
      if (!lstatSync(from).isFile()) continue;
      mkdirSync(dirname(to), {recursive: true});
      copyFileSync(from, to, constants.COPYFILE_EXCL);
      copied.push(p);
    } catch {
      /* already there in the worktree, or unreadable: left as it is */
    }
  }
  return copied.sort();
};
