import {nodeCrypto, UsageError} from '../../core/index.js';

/** The longest worktree name (folder and branch suffix). */
export const NAME_MAX = 48;
/** Every dispatch branch lives under this prefix, so they are easy to list and never clash with a user's. */
export const BRANCH_PREFIX = 'spor/';

/**
 * A worktree name from a node id or task text: lower-case ASCII letters, digits and single dashes,
 * at most NAME_MAX characters. Accents are dropped (é → e), every other run of characters becomes
 * one dash. A longer name keeps its first words and ends in 6 hex digits of a hash of the whole
 * text, so two long texts that share a beginning still get different names, and the same text
 * always gets the same name (which is what lets a second dispatch reuse the worktree).
 */
export const sanitizeName = (text: string): string => {
  const kebab = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (kebab.length <= NAME_MAX) return kebab;
  const hash = nodeCrypto().createHash('sha256').update(text).digest('hex').slice(0, 6);
  let head = kebab.slice(0, NAME_MAX - hash.length - 1);
  const dash = head.lastIndexOf('-');
  if (dash >= NAME_MAX / 2) head = head.slice(0, dash);
  return `${head.replace(/-+$/, '')}-${hash}`;
};

/** sanitizeName, refusing text with nothing to name a branch after. */
export const worktreeName = (text: string): string => {
  const name = sanitizeName(text);
  if (name === '') {
    throw new UsageError(`cannot name a worktree after '${text}': it has no letters or digits`, {
      code: 'E_WORKTREE_NAME',
      hint: 'give the run a name with letters or digits (--name)',
    });
  }
  return name;
};

export const branchOf = (name: string): string => `${BRANCH_PREFIX}${name}`;
