import {existsSync, realpathSync} from 'node:fs';
import {basename, dirname, isAbsolute, join, normalize, relative, sep} from 'node:path';
import {RefusalError, type SettingDefinition, type ResolvedSetting} from '../../core/index.js';

export const WORKTREE_KEY = 'worktree.enabled';
export const WORKTREE_DIR_KEY = 'worktree.dir';
export const WORKTREE_SETUP_KEY = 'worktree.setup';
export const WORKTREE_SETUP_ENV_KEY = 'worktree.setupEnv';
export const DEFAULT_WORKTREE_DIR = '.claude/worktrees';

/**
 * All three may come from the target repository's committed `.spor.json`: whether to isolate runs
 * and where (a folder inside the repo, checked) are harmless, and the setup command, which names
 * something to execute, is only ever run after this machine approved it (`spor worktrees approve`).
 */
export const worktreeSettings: Array<SettingDefinition> = [
  {
    key: WORKTREE_KEY,
    aliases: ['dispatch.worktree'],
    type: 'boolean',
    default: false,
    repoSafe: true,
    description: 'run dispatches in their own git worktree by default (--worktree / --no-worktree override it)',
  },
  {
    key: WORKTREE_DIR_KEY,
    aliases: ['dispatch.worktreeDir'],
    type: 'string',
    default: DEFAULT_WORKTREE_DIR,
    repoSafe: true,
    description: 'where dispatch worktrees go: a folder relative to the repository root, kept git-ignored',
  },
  {
    key: WORKTREE_SETUP_KEY,
    aliases: ['dispatch.worktreeSetup'],
    type: 'string',
    default: '',
    repoSafe: true,
    description:
      "an executable with arguments (no shell) run in each new dispatch worktree; from a repo's .spor.json it runs only once approved with `spor worktrees approve <repo>`",
  },
];

/**
 * Which of the user's variables the setup command gets besides the basics. This machine's alone,
 * never a repository's: a committed `.spor.json` must not pick which secrets its own script reads.
 */
export const setupEnvSetting: SettingDefinition = {
  key: WORKTREE_SETUP_ENV_KEY,
  type: 'string',
  default: '',
  description:
    "more of your environment variables the worktree setup command gets, besides PATH, HOME, locale, terminal, proxy and CA variables: names or prefixes ending in *, comma-separated (e.g. 'NPM_TOKEN')",
};

/** Where a value came from, naming the key as it was spelled there (an old name, maybe). */
export const settingWhere = (s: ResolvedSetting): string =>
  s.origin
    ? `${s.alias ?? s.key} in ${s.origin}`
    : `${s.alias ?? s.key} (${s.source === 'machine' ? 'this machine' : s.source})`;

/**
 * The absolute folder dispatch worktrees go to: worktree.dir under `repoRoot`. It must be
 * a relative path that stays inside the repository and out of `.git`, whoever set it.
 */
export const worktreeDirOf = (repoRoot: string, s: ResolvedSetting): string => {
  const raw = String(s.value).trim();
  const hint = `set ${s.key} to a folder inside the repository, such as ${DEFAULT_WORKTREE_DIR}`;
  // Refused here, while dispatch is still planning: a NUL would otherwise first fail in mkdir,
  // after the run had been recorded as started.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw))
    throw new RefusalError(`${settingWhere(s)} contains control characters (${JSON.stringify(raw)})`, {
      code: 'E_WORKTREE_DIR',
      hint,
    });
  if (raw === '' || isAbsolute(raw))
    throw new RefusalError(`${settingWhere(s)} must be a relative folder inside the repository, not '${raw}'`, {
      code: 'E_WORKTREE_DIR',
      hint,
    });
  const dir = join(repoRoot, normalize(raw)).replace(/(.)\/+$/, '$1');
  const outside = (root: string, path: string): boolean => {
    const rel = relative(root, path);
    return (
      rel === '' ||
      rel === '..' ||
      rel.startsWith(`..${sep}`) ||
      isAbsolute(rel) ||
      rel === '.git' ||
      rel.startsWith(`.git${sep}`)
    );
  };
  // Judged twice: as written, and where it really leads, since a folder the repository commits can
  // be a symlink to anywhere (the worktree, and the agent in it, would land there).
  if (outside(repoRoot, dir) || outside(realPath(repoRoot), realPath(dir))) {
    throw new RefusalError(`${settingWhere(s)} ('${raw}') points outside the repository's working tree`, {
      code: 'E_WORKTREE_DIR',
      hint,
    });
  }
  return dir;
};

/** Where `path` really leads: its deepest existing ancestor resolved, the rest (made later) appended. */
const realPath = (path: string): string => {
  let head = path;
  const rest: Array<string> = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) return path;
    rest.unshift(basename(head));
    head = up;
  }
  return join(realpathSync(head), ...rest);
};
