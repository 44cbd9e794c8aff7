import {UsageError} from '../../../core/index.js';
import {
  EDGE_TYPES,
  NODE_ID,
  NODE_TYPES,
  PRIORITIES,
  isActedOnEdge,
  isActedOnType,
  kebab,
  type EdgeType,
  type NodeType,
  type Priority,
} from './model.js';

const ID_HINT = 'ids are kebab-case: lower-case letters, digits and dashes, like task-retry-emails';

/** Refuses ids that could name a path or are not kebab-case (exit 2, nothing written). */
export const checkId = (id: string, what = 'node id'): void => {
  if (/[/\\\0]|\.\./.test(id) || id.startsWith('.') || id.startsWith('~')) {
    throw new UsageError(`${what} '${id}' contains path characters`, {code: 'E_NODE_ID', hint: ID_HINT});
  }
  if (!NODE_ID.test(id) || id.length > 128)
    throw new UsageError(`${what} '${id}' is not kebab-case`, {code: 'E_NODE_ID', hint: ID_HINT});
};

export const checkNodeType = (type: string): NodeType => {
  if (!isActedOnType(type)) {
    throw new UsageError(`unknown node type '${type}'`, {
      code: 'E_NODE_TYPE',
      hint: `use one of: ${NODE_TYPES.join(', ')}`,
    });
  }
  return type;
};

export const checkEdgeType = (type: string): EdgeType => {
  if (!isActedOnEdge(type)) {
    throw new UsageError(`unknown edge type '${type}'`, {
      code: 'E_EDGE_TYPE',
      hint: `use one of: ${EDGE_TYPES.join(', ')}`,
    });
  }
  return type;
};

export const checkPriority = (p: string): Priority => {
  if (!(PRIORITIES as ReadonlyArray<string>).includes(p)) {
    throw new UsageError(`unknown priority '${p}'`, {code: 'E_PRIORITY', hint: `use ${PRIORITIES.join(', ')}`});
  }
  return p as Priority;
};

/** Repo slugs, as the repos plugin spells them. */
export const checkSlug = (slug: string): void => {
  if (!NODE_ID.test(slug)) {
    throw new UsageError(`invalid repo slug '${slug}'`, {
      code: 'E_REPO_SLUG',
      hint: 'use lower-case letters, digits and dashes (e.g. my-service)',
    });
  }
};

/** Statuses are free words (open, in-progress, done…), but single kebab-case words. */
export const checkStatus = (status: string): void => {
  if (!/^[a-z][a-z0-9-]*$/.test(status)) {
    throw new UsageError(`invalid status '${status}'`, {
      code: 'E_STATUS',
      hint: 'a status is one lower-case word or kebab-case phrase, like open, in-progress or done',
    });
  }
};

const TITLE_MAX = 80;

/** A title from free text: its first non-empty line, cut to 80 characters at a word boundary. */
export const titleFrom = (text: string): string => {
  const first =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  if (first.length <= TITLE_MAX) return first;
  const cut = first.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/** `<prefix>-<kebab title>`; a title with nothing kebab-able needs an explicit id. */
export const deriveId = (prefix: string, title: string, hint = 'give one with --id <kebab-case-id>'): string => {
  const tail = kebab(title);
  if (tail === '') throw new UsageError(`cannot make an id from '${title}'`, {code: 'E_NODE_ID', hint});
  return `${prefix}-${tail}`;
};
