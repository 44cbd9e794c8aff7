import type {SporEvent, Projection} from '../../core/index.js';
import type {ConfigValue, SettingsEvent} from './events.js';

/**
 * The values this machine set with `spor config set`, and with commands that record a setting as
 * their own event (`agent-used` sets `dispatch.agent`; read by type name, owned by the agent plugin).
 */
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
  version: 2,
  on: ['config-set', 'config-unset', 'agent-used'],
  initial: () => ({values: {}}),
  apply: (state, event: SporEvent) => {
    // In place (the projector owns the slice), so a rebuild does not copy the values per event.
    if (event.type === 'agent-used') {
      const agent = (event.data as {agent?: unknown}).agent;
      if (typeof agent === 'string') state.values['dispatch.agent'] = agent;
      else delete state.values['dispatch.agent'];
      return state;
    }
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
