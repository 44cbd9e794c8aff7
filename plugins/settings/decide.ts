import type {EventDraft} from '../../core/index.js';
import type {ConfigSet, ConfigUnset, ConfigValue} from './events.js';
import type {SettingsState} from './projection.js';

/** Setting a key to the value it already has on this machine writes nothing. */
export const setConfig = (input: {key: string; value: ConfigValue}, s: SettingsState): Array<EventDraft<ConfigSet>> =>
  s.values[input.key] === input.value ? [] : [{type: 'config-set', data: input}];

/** Unsetting a key this machine never set writes nothing. */
export const unsetConfig = (input: {key: string}, s: SettingsState): Array<EventDraft<ConfigUnset>> =>
  input.key in s.values ? [{type: 'config-unset', data: input}] : [];
