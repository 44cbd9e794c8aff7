import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

export type ConfigValue = string | number | boolean;
export type ConfigSet = SporEvent<'config-set', 1, {key: string; value: ConfigValue}>;
export type ConfigUnset = SporEvent<'config-unset', 1, {key: string}>;
export type SettingsEvent = ConfigSet | ConfigUnset;

declare module '../../core/events.js' {
  interface SporEventMap {
    'config-set': ConfigSet;
    'config-unset': ConfigUnset;
  }
}

export const settingsEvents = defineEvents<SettingsEvent>({
  'config-set': {
    v: 1,
    data: t.isObject({key: t.isString(), value: t.isOneOf([t.isString(), t.isNumber(), t.isBoolean()])}),
    hookEnv: (d) => ({SPOR_CONFIG_KEY: d.key}),
    summary: (d) => `${d.key} = ${String(d.value)}`,
  },
  'config-unset': {
    v: 1,
    data: t.isObject({key: t.isString()}),
    hookEnv: (d) => ({SPOR_CONFIG_KEY: d.key}),
    summary: (d) => `${d.key} unset`,
  },
});
