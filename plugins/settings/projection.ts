import type {SporEvent} from '../../core/events.js';
import type {Projection} from '../../core/plugin.js';
import type {ConfigValue, SettingsEvent} from './events.js';

/**
 * The values this machine set with `spor config set`, and with commands that record a setting as
 * their own event (`agent-used` sets `dispatch.agent`; read by type name, owned by the agent plugin).
 */
export interface SettingsState { values: Record<string, ConfigValue> }

declare module '../../core/plugin.js' {
  interface SporStateMap { settings: SettingsState }
}

export const settingsProjection: Projection<SettingsState> = {
  name: 'settings',
  version: 2,
  initial: () => ({values: {}}),
  apply: (state, event: SporEvent) => {
    if (event.type === 'agent-used') {
      const {['dispatch.agent']: _previous, ...rest} = state.values;
      const agent = (event.data as {agent?: unknown}).agent;
      return {values: typeof agent === 'string' ? {...rest, 'dispatch.agent': agent} : rest};
    }
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
