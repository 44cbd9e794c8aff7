import {UsageError, envNameOf, type EventDraft, type PluginRegistry, type SettingDefinition} from '../../core/index.js';
import {RECORDED_SETTINGS} from './api.js';
import type {ConfigSet, ConfigUnset, ConfigValue} from './events.js';
import type {SettingsState} from './projection.js';

/** A key and the old names (aliases) this machine may still hold a value under. */
export interface Key {
  key: string;
  aliases?: ReadonlyArray<string>;
}

const unsetAliases = (k: Key, s: SettingsState): Array<EventDraft<ConfigUnset>> =>
  (k.aliases ?? []).filter((a) => a in s.values).map((a) => ({type: 'config-unset', data: {key: a}}));

/**
 * Setting a key to the value it already has on this machine writes nothing. A value still held
 * under an old name of the key is unset with it, so it cannot come back when the key is unset.
 */
export const setConfig = (
  input: Key & {value: ConfigValue},
  s: SettingsState,
): Array<EventDraft<ConfigSet | ConfigUnset>> => {
  const stale = unsetAliases(input, s);
  return s.values[input.key] === input.value && stale.length === 0
    ? []
    : [{type: 'config-set', data: {key: input.key, value: input.value}}, ...stale];
};

/** Unsets the key and its old names; one this machine never set writes nothing. */
export const unsetConfig = (input: Key, s: SettingsState): Array<EventDraft<ConfigUnset>> => [
  ...(input.key in s.values ? [{type: 'config-unset' as const, data: {key: input.key}}] : []),
  ...unsetAliases(input, s),
];

/** `def`, unless its machine value is recorded by another command (then a usage error naming it). */
export const recordable = (def: SettingDefinition, registry: PluginRegistry): SettingDefinition => {
  const recorded = RECORDED_SETTINGS.entries(registry).find((e) => e.data.name === def.key);
  if (recorded)
    throw new UsageError(`${def.key} is recorded by its own command on this machine`, {
      code: 'E_SETTING_RECORDED',
      hint: `use \`${String(recorded.data.command)}\` (or ${envNameOf(def.key)} for one call)`,
    });
  return def;
};
