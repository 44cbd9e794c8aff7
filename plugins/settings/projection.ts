import type {SporEvent, Projection} from '../../core/index.js';
import type {ConfigValue, SettingsEvent} from './events.js';

/** The values this machine set with `spor config set` (under the key as it was spelled then). */
export interface SettingsState {
  values: Record<string, ConfigValue>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    settings: SettingsState;
  }
}

export const settingsProjection: Projection<SettingsState> = {
  name: 'settings',
  version: 3,
  on: ['config-set', 'config-unset'],
  initial: () => ({values: {}}),
  apply: (state, event: SporEvent) => {
    // In place (the projector owns the slice), so a rebuild does not copy the values per event.
    const e = event as SettingsEvent;
    switch (e.type) {
      case 'config-set':
        state.values[e.data.key] = e.data.value;
        return state;
      case 'config-unset':
        delete state.values[e.data.key];
        return state;
      default:
        return state;
    }
  },
};
