import {type EventDraft, UsageError} from '../../core/index.js';
import type {RepoAdded, RepoRemoved} from './events.js';
import type {ReposState} from './projection.js';

export const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export const checkSlug = (slug: string): void => {
  if (!SLUG.test(slug)) {
    throw new UsageError(`invalid repo slug '${slug}'`, {
      code: 'E_REPO_SLUG',
      hint: 'use lower-case letters, digits and dashes, starting with a letter or digit (e.g. my-service)',
    });
  }
};

/** Maps (or re-points) a slug; mapping it to where it already points writes nothing. */
export const addRepo = (input: {slug: string; path: string}, s: ReposState): Array<EventDraft<RepoAdded>> => {
  checkSlug(input.slug);
  return s.bySlug[input.slug] === input.path ? [] : [{type: 'repo-added', data: input}];
};

/** Unmaps a slug; an unknown slug writes nothing. */
export const removeRepo = (input: {slug: string}, s: ReposState): Array<EventDraft<RepoRemoved>> => {
  checkSlug(input.slug);
  return Object.hasOwn(s.bySlug, input.slug) ? [{type: 'repo-removed', data: input}] : [];
};
