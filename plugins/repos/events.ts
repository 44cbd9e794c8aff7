import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

export type RepoAdded = SporEvent<'repo-added', 1, {slug: string; path: string}>;
export type RepoRemoved = SporEvent<'repo-removed', 1, {slug: string}>;
export type RepoEvent = RepoAdded | RepoRemoved;

declare module '../../core/events.js' {
  interface SporEventMap {
    'repo-added': RepoAdded;
    'repo-removed': RepoRemoved;
  }
}

export const repoEvents = defineEvents<RepoEvent>({
  'repo-added': {
    v: 1,
    data: t.isObject({slug: t.isString(), path: t.isString()}),
    hookEnv: (d) => ({SPOR_REPO_SLUG: d.slug, SPOR_REPO_PATH: d.path}),
    summary: (d) => `${d.slug} → ${d.path}`,
  },
  'repo-removed': {
    v: 1,
    data: t.isObject({slug: t.isString()}),
    hookEnv: (d) => ({SPOR_REPO_SLUG: d.slug}),
    summary: (d) => d.slug,
  },
});
