import {isAbsolute, join, normalize, relative, sep} from 'node:path';
import {RefusalError, type SettingDefinition, type ResolvedSetting} from '../../core/index.js';

export const WORKTREE_KEY = 'dispatch.worktree';
export const WORKTREE_DIR_KEY = 'dispatch.worktreeDir';
export const WORKTREE_SETUP_KEY = 'dispatch.worktreeSetup';
export const DEFAULT_WORKTREE_DIR = '.claude/worktrees';

/**
 * All three may come from the target repository's committed `.spor.json`: whether to isolate runs
 * and where (a folder inside the repo, checked) are harmless, and the setup command, which names
 * something to execute, is only ever run after this machine approved it (`spor hooks approve`).
 */
export const worktreeSettings: Array<SettingDefinition> = [
  {
    key: WORKTREE_KEY,
    type: 'boolean',
    default: false,
    repoSafe: true,
    description: 'run dispatches in their own git worktree by default (--worktree / --no-worktree override it)',
  },
  {
    key: WORKTREE_DIR_KEY,
    type: 'string',
    default: DEFAULT_WORKTREE_DIR,
    repoSafe: true,
    description: 'where dispatch worktrees go: a folder relative to the repository root, kept git-ignored',
  },
  {
    key: WORKTREE_SETUP_KEY,
    type: 'string',
    default: '',
    repoSafe: true,
    description:
      "an executable with arguments (no shell) run in each new dispatch worktree; from a repo's .spor.json it runs only once approved with `spor hooks approve <repo>`",
  },
];

const where = (s: ResolvedSetting): string => (s.origin ? `${s.key} in ${s.origin}` : `${s.key} (${s.source})`);

/**
 * The absolute folder dispatch worktrees go to: dispatch.worktreeDir under `repoRoot`. It must be
 * a relative path that stays inside the repository and out of `.git`, whoever set it.
 */
export const worktreeDirOf = (repoRoot: string, s: ResolvedSetting): string => {
  const raw = String(s.value).trim();
  const hint = `set ${s.key} to a folder inside the repository, such as ${DEFAULT_WORKTREE_DIR}`;
  if (raw === '' || isAbsolute(raw))
    throw new RefusalError(`${where(s)} must be a relative folder inside the repository, not '${raw}'`, {
      code: 'E_WORKTREE_DIR',
      hint,
    });
  const dir = join(repoRoot, normalize(raw)).replace(/(.)\/+$/, '$1');
  const rel = relative(repoRoot, dir);
  if (
    rel === '' ||
    rel === '..' ||
    rel.startsWith(`..${sep}`) ||
    isAbsolute(rel) ||
    rel === '.git' ||
    rel.startsWith(`.git${sep}`)
  ) {
    throw new RefusalError(`${where(s)} ('${raw}') points outside the repository's working tree`, {
      code: 'E_WORKTREE_DIR',
      hint,
    });
  }
  return dir;
};
