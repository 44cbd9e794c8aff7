import type {Projection, SporEvent} from '../../core/index.js';
import type {HomeImported} from './events.js';

/** The `config.json` versions imported (by SHA-256) and the values left pending approval. */
export interface HomeImportsState {
  bySha: Record<string, {home: string; at: string}>;
  pending: Record<string, string>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    homeImports: HomeImportsState;
  }
}

export const homeImportsProjection: Projection<HomeImportsState> = {
  name: 'homeImports',
  version: 1,
  on: ['home-imported'],
  initial: () => ({bySha: {}, pending: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as HomeImported;
    if (e.type !== 'home-imported') return state;
    if (e.data.config_sha256) state.bySha[e.data.config_sha256] = {home: e.data.home, at: e.at};
    Object.assign(state.pending, e.data.pending);
    return state;
  },
};
