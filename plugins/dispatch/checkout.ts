import {existsSync, readdirSync, readFileSync, statSync, type Dirent} from 'node:fs';
import {basename, dirname, isAbsolute, join, resolve} from 'node:path';

/** The top of the git checkout containing `dir`, or undefined when it is not in one. */
export const checkoutTop = (dir: string): string | undefined => {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
};

/**
 * The main checkout of the linked worktree at `top` (its `.git` file names a gitdir under the main
 * checkout's `.git/worktrees/`), or undefined when `top` is a main checkout itself.
 */
export const mainCheckoutOf = (top: string): string | undefined => {
  const dotGit = join(top, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return undefined;
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return undefined;
    const abs = isAbsolute(gitdir) ? gitdir : resolve(top, gitdir);
    if (!existsSync(join(abs, 'commondir'))) return undefined;
    const common = resolve(abs, readFileSync(join(abs, 'commondir'), 'utf8').trim());
    // A bare repository's worktrees have no main checkout to run in.
    return basename(common) === '.git' && existsSync(join(dirname(common), '.git')) ? dirname(common) : undefined;
  } catch {
    return undefined;
  }
};

// A linked worktree's `.git` is a file naming its gitdir, whose `commondir` holds the config.
const configOf = (top: string): string | undefined => {
  const dotGit = join(top, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return join(dotGit, 'config');
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return undefined;
    const abs = isAbsolute(gitdir) ? gitdir : resolve(top, gitdir);
    const common = existsSync(join(abs, 'commondir'))
      ? resolve(abs, readFileSync(join(abs, 'commondir'), 'utf8').trim())
      : abs;
    return join(common, 'config');
  } catch {
    return undefined;
  }
};

/** The repository name `origin` points at (`git@host:acme/web.git` → `web`), read from the config file. */
export const originName = (top: string): string | undefined => {
  const file = configOf(top);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const section = /\[remote "origin"\]([^[]*)/.exec(text)?.[1];
  const url = section ? /^\s*url\s*=\s*(.+)$/m.exec(section)?.[1]?.trim() : undefined;
  return url ? basename(url.replace(/\/+$/, '')).replace(/\.git$/, '') : undefined;
};

/** A name as a sequence of words: `Acme_Web.Frontend` → `acme web frontend`. */
const words = (s: string): Array<string> =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');

/**
 * Does `name` name the repository `slug` names? Equal as words, or one's words a contiguous run of
 * the other's (`web` and `acme-web-frontend`), so `spor-server` is not `spor-client`.
 */
export const sameRepository = (name: string, slug: string): boolean => {
  const a = words(name);
  const b = words(slug);
  if (a.length === 0 || b.length === 0) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  for (let at = 0; at + short.length <= long.length; at += 1)
    if (short.every((w, k) => long[at + k] === w)) return true;
  return false;
};

/** Folders a marker search never enters: dependencies, build output, VCS and tool state. */
const SKIP = new Set(['node_modules', 'vendor', 'dist', 'build', 'target', 'out']);
const MARKER_DEPTH = 3;
const REPO_KEYS = ['repo', 'project', 'slug'];

/** The repo a `.spor` (`repo: billing`) or `.spor.json` (`{"repo": "billing"}`) marker file names. */
const markerName = (file: string): string | undefined => {
  let text: string;
  try {
    if (!statSync(file).isFile()) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  if (file.endsWith('.json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const v = REPO_KEYS.map((k) => parsed[k]).find((x) => typeof x === 'string' && x.trim() !== '');
      return typeof v === 'string' ? v.trim() : undefined;
    } catch {
      return undefined;
    }
  }
  for (const key of REPO_KEYS) {
    const m = new RegExp(`^\\s*${key}\\s*:\\s*["']?([^"'#\\s]+)`, 'm').exec(text)?.[1];
    if (m) return m;
  }
  return undefined;
};

/**
 * The repositories `.spor`/`.spor.json` markers name in `top` and up to three folders below it (a
 * monorepo marks its subtrees so), nearest first. Hidden folders and dependency or build folders
 * are not entered.
 */
export const markerNames = (top: string): Array<string> => {
  const found: Array<string> = [];
  let level = [top];
  for (let depth = 0; depth <= MARKER_DEPTH && level.length > 0; depth += 1) {
    const next: Array<string> = [];
    for (const dir of level) {
      for (const marker of ['.spor', '.spor.json']) {
        const name = markerName(join(dir, marker));
        if (name && !found.includes(name)) found.push(name);
      }
      if (depth === MARKER_DEPTH) continue;
      let entries: Array<Dirent>;
      try {
        entries = readdirSync(dir, {withFileTypes: true});
      } catch {
        continue;
      }
      for (const e of entries)
        if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name)) next.push(join(dir, e.name));
    }
    level = next;
  }
  return found;
};

/** What the checkout says it is: its origin's repository name, its folder's name, its markers. */
export interface CheckoutIdentity {
  origin?: string;
  folder: string;
  markers: Array<string>;
}

const identityText = (id: CheckoutIdentity): string =>
  [
    ...(id.origin ? [`origin '${id.origin}'`] : []),
    `folder '${id.folder}'`,
    ...(id.markers.length > 0 ? [`markers ${id.markers.map((m) => `'${m}'`).join(', ')}`] : []),
  ].join(', ');

/**
 * Evidence that the checkout at `top` is another repository than `slug` names: none of its names
 * (origin, folder, `.spor`/`.spor.json` markers up to three levels down) is the slug's, and it has
 * an origin or a marker to say what it is instead (a folder name alone is no evidence: a slug may
 * map to any folder). Returns what the checkout is, for the refusal; markers are read only when
 * the origin and the folder did not settle it.
 */
export const mismatch = (top: string, slug: string): string | undefined => {
  const origin = originName(top);
  const folder = basename(top);
  if ((origin && sameRepository(origin, slug)) || sameRepository(folder, slug)) return undefined;
  const markers = markerNames(top);
  if (markers.some((m) => sameRepository(m, slug))) return undefined;
  if (!origin && markers.length === 0) return undefined;
  return identityText({...(origin ? {origin} : {}), folder, markers});
};
