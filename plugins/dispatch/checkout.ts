import {existsSync, readFileSync, statSync} from 'node:fs';
import {basename, dirname, isAbsolute, join, resolve} from 'node:path';

/** The top of the git checkout containing `dir`, or undefined when it is not in one. */
export const checkoutTop = (dir: string): string | undefined => {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
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

const words = (s: string): Array<string> =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);

/**
 * Evidence that the checkout at `top` is another repository than `slug` names: it has an `origin`
 * whose name, like the folder's own name, shares no word with the slug (`billing` vs `acme/search`).
 * Without an origin there is no evidence.
 */
export const mismatch = (top: string, slug: string): string | undefined => {
  const origin = originName(top);
  if (!origin) return undefined;
  const wanted = new Set(words(slug));
  const shares = (name: string): boolean => words(name).some((w) => wanted.has(w)) || name.toLowerCase() === slug;
  return shares(origin) || shares(basename(top)) ? undefined : origin;
};
