import {statSync} from 'node:fs';
import {basename, resolve} from 'node:path';
import {RefusalError, UsageError} from '../../core/index.js';
import {kebab, NODE_ID, type GraphView, type NodeMeta} from '../graph/api.js';
import {checkoutTop, mainCheckoutOf, originName} from './checkout.js';
import type {DirSource} from './api.js';

/** What a dispatch works on. */
export type Target = {mode: 'task'; task: string} | {mode: 'node' | 'queue'; node: NodeMeta} | {mode: 'backfill'};

const TYPED_ID = /^(person|agent|task|issue|question|decision|norm|profile|repo)-[a-z0-9-]+$/;

/** A positional target: a node id when the graph has it; free text otherwise (a typed id that is missing is refused). */
export const targetOf = (view: GraphView, text: string): Target => {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new UsageError('the task text is empty', {
      code: 'E_DISPATCH_TARGET',
      hint: 'say what to do: spor dispatch "fix the flaky login test"',
    });
  if (NODE_ID.test(trimmed)) {
    const node = view.meta(trimmed);
    if (node) return {mode: 'node', node};
    if (TYPED_ID.test(trimmed))
      throw new RefusalError(`no node '${trimmed}'`, {
        code: 'E_NODE_UNKNOWN',
        hint: 'check the id with `spor next` or `spor get`, or quote a sentence to dispatch free text',
      });
  }
  return {mode: 'task', task: text};
};

export const nodeTarget = (view: GraphView, id: string): Target => {
  const node = view.meta(id);
  if (!node)
    throw new RefusalError(`no node '${id}'`, {
      code: 'E_NODE_UNKNOWN',
      hint: 'check the id with `spor next` or `spor get <id>`',
    });
  return {mode: 'node', node};
};

export interface Where {
  dir: string;
  source: DirSource;
  slug?: string;
  /** The slug is not in the map: it is what the checkout calls itself (its origin's name, else its folder's). */
  inferred?: boolean;
  /** Why no slug was inferred, when the checkout's name is mapped to another directory. */
  taken?: {slug: string; path: string};
}

/**
 * The slug of the checkout at `top`: the one mapped to it, else (not mapped yet) its origin's
 * repository name or its folder's name, unless that slug already maps elsewhere.
 */
const slugOfCheckout = (top: string, map: Record<string, string>): Pick<Where, 'slug' | 'inferred' | 'taken'> => {
  const mapped = Object.entries(map).find(([, p]) => p === top)?.[0];
  if (mapped !== undefined) return {slug: mapped};
  const name = kebab(originName(top) ?? basename(top));
  if (name === '') return {};
  const elsewhere = map[name];
  return elsewhere === undefined ? {slug: name, inferred: true} : {taken: {slug: name, path: elsewhere}};
};

const existingDir = (path: string, what: string): string => {
  let ok = false;
  try {
    ok = statSync(path).isDirectory();
  } catch {
    /* reported below */
  }
  if (!ok)
    throw new UsageError(`${what} is not a directory: ${path}`, {
      code: 'E_DISPATCH_DIR',
      hint: 'give an existing checkout with --dir <path>',
    });
  return path;
};

/**
 * The directory: --dir, else the slug map for --slug or the node's repo stamp, else (free text
 * and backfill only) the current directory, or the main checkout when that is a linked worktree.
 * A node with no repo stamp is refused rather than guessed. Without a slug given, the checkout's
 * own is used: mapped to it, else inferred from its origin or folder name (a real dispatch maps it).
 */
export const whereOf = (
  target: Target,
  opts: {dir?: string; slug?: string; cwd: string},
  map: Record<string, string>,
): Where => {
  const stamp = target.mode === 'node' || target.mode === 'queue' ? target.node.repo : undefined;
  const slug = opts.slug ?? stamp;
  if (opts.dir !== undefined) {
    const dir = existingDir(resolve(opts.cwd, opts.dir), `--dir ${opts.dir}`);
    if (slug !== undefined) return {dir, source: 'dir', slug};
    const top = checkoutTop(dir);
    const byPath = Object.entries(map).find(([, p]) => p === dir)?.[0];
    return {dir, source: 'dir', ...(byPath ? {slug: byPath} : top ? slugOfCheckout(top, map) : {})};
  }
  if (slug !== undefined) {
    const mapped = map[slug];
    if (mapped === undefined) {
      throw new RefusalError(`repo slug '${slug}' is not mapped to a directory on this machine`, {
        code: 'E_SLUG_UNMAPPED',
        hint: `map it with \`spor repos add ${slug} <path>\`, or give the directory with --dir <path>`,
      });
    }
    return {
      dir: existingDir(mapped, `the directory mapped to '${slug}'`),
      source: opts.slug !== undefined ? 'slug' : 'node-repo',
      slug,
    };
  }
  if (target.mode === 'node' || target.mode === 'queue') {
    throw new RefusalError(`node '${target.node.id}' has no repo stamp, so spor cannot tell where to run it`, {
      code: 'E_NO_REPO',
      hint: `give --slug <slug> or --dir <path>, or stamp it: spor add … --repo <slug>`,
    });
  }
  // Free text (or a backfill) where you stand: in a linked worktree, its main checkout (a worktree
  // is some run's isolation, not the repository); the slug is the checkout's.
  const top = checkoutTop(opts.cwd);
  const byPath = Object.entries(map).find(([, p]) => p === opts.cwd)?.[0];
  if (top === undefined) return {dir: opts.cwd, source: 'cwd', ...(byPath ? {slug: byPath} : {})};
  const main = mainCheckoutOf(top);
  const dir = main ?? opts.cwd;
  return {dir, source: 'cwd', ...(byPath && !main ? {slug: byPath} : slugOfCheckout(main ?? top, map))};
};
