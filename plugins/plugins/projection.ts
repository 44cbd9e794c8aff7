import type {SporEvent, Projection} from '../../core/index.js';
import type {PluginEvent, PluginRecord} from './events.js';

/** The user plugins this machine added, in the order added (the order they load in). */
export interface PluginsState {
  added: Array<PluginRecord>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    plugins: PluginsState;
  }
}

export const pluginsProjection: Projection<PluginsState> = {
  name: 'plugins',
  version: 1,
  on: ['plugin-added', 'plugin-removed'],
  initial: () => ({added: []}),
  apply: (state, event: SporEvent) => {
    const e = event as PluginEvent;
    switch (e.type) {
      case 'plugin-added': {
        // `add` refuses a name already added; should the log hold one anyway, the later record
        // replaces the earlier one where it stands, so the load order stays the order first added.
        const at = state.added.findIndex((p) => p.name === e.data.name);
        if (at === -1) return {added: [...state.added, e.data]};
        return {added: state.added.map((p, i) => (i === at ? e.data : p))};
      }
      case 'plugin-removed':
        return {added: state.added.filter((p) => p.name !== e.data.name)};
      default:
        return state;
    }
  },
};
