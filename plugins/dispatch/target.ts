import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import {RefusalError, UsageError} from '../../core/index.js';
import {NODE_ID, type GraphView, type NodeMeta} from '../graph/api.js';
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
}

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
 * only) the current directory. A node with no repo stamp is refused rather than guessed.
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
    return {dir, source: 'dir', slug: slug ?? Object.entries(map).find(([, p]) => p === dir)?.[0]};
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
  return {dir: opts.cwd, source: 'cwd', slug: Object.entries(map).find(([, p]) => p === opts.cwd)?.[0]};
};
