import type {SporEvent} from '../../core/events.js';
import type {Projection} from '../../core/plugin.js';
import type {ConfigValue, SettingsEvent} from './events.js';

/** The values this machine set with `spor config set`. */
export interface SettingsState { values: Record<string, ConfigValue> }

declare module '../../core/plugin.js' {
  interface SporStateMap { settings: SettingsState }
}

export const settingsProjection: Projection<SettingsState> = {
  name: 'settings',
  version: 1,
  initial: () => ({values: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as SettingsEvent;
    switch (e.type) {
      case 'config-set': return {values: {...state.values, [e.data.key]: e.data.value}};
      case 'config-unset': {
        const {[e.data.key]: _dropped, ...rest} = state.values;
        return {values: rest};
      }
      default: return state;
    }
  },
};
