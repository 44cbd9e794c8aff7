import type {SporEvent, Projection} from '../../core/index.js';
import type {RepoEvent} from './events.js';

/** This machine's slug → absolute directory map. */
export interface ReposState {
  bySlug: Record<string, string>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    repos: ReposState;
  }
}

export const reposProjection: Projection<ReposState> = {
  name: 'repos',
  version: 1,
  on: ['repo-added', 'repo-removed'],
  initial: () => ({bySlug: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as RepoEvent;
    // In place (the projector owns the slice): a rebuild folds every mapping ever made.
    switch (e.type) {
      case 'repo-added':
        state.bySlug[e.data.slug] = e.data.path;
        return state;
      case 'repo-removed':
        delete state.bySlug[e.data.slug];
        return state;
      default:
        return state;
    }
  },
};
