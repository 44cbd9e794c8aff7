import type {SporEvent} from '../../core/events.js';
import type {Projection} from '../../core/plugin.js';
import type {RepoEvent} from './events.js';

/** This machine's slug → absolute directory map. */
export interface ReposState { bySlug: Record<string, string> }

declare module '../../core/plugin.js' {
  interface SporStateMap { repos: ReposState }
}

export const reposProjection: Projection<ReposState> = {
  name: 'repos',
  version: 1,
  initial: () => ({bySlug: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as RepoEvent;
    switch (e.type) {
      case 'repo-added': return {bySlug: {...state.bySlug, [e.data.slug]: e.data.path}};
      case 'repo-removed': {
        const {[e.data.slug]: _gone, ...rest} = state.bySlug;
        return {bySlug: rest};
      }
      default: return state;
    }
  },
};
