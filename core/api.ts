import {Option} from 'clipanion';
import * as t from 'typanion';
import {SporCommand} from './command.js';
import {inject, resolve} from './di.js';
import {ConflictError, RefusalError, SporError, StoreError, UsageError} from './errors.js';
import {defineEvents} from './events.js';
import {definePlugin} from './plugin.js';
import type {PluginRegistry} from './pluginRegistry.js';
import * as tokens from './tokens.js';

/** The version of the plugin API below; bumped on incompatible change. */
export const API_VERSION = 1;

/**
 * What a user plugin's default-exported factory receives. Plugins must build on these very
 * objects: a plugin bundling its own clipanion or tsyringe would have its options and services
 * silently ignored by the host's copies.
 */
export const pluginApi = Object.freeze({
  apiVersion: API_VERSION,
  Command: SporCommand,
  Option,
  t,
  definePlugin,
  defineEvents,
  SporError,
  UsageError,
  RefusalError,
  ConflictError,
  StoreError,
  tokens,
  inject,
  resolve,
});

/**
 * The API a user plugin's factory receives: the above, plus `plugin(name)`, what a loaded plugin
 * offers user plugins (its `exports`: `spor.plugin('capabilities').binaryProber`), or undefined.
 */
export const pluginApiFor = (registry: PluginRegistry) =>
  Object.freeze({
    ...pluginApi,
    plugin: (name: string): Record<string, unknown> | undefined =>
      registry.plugins.find((l) => l.name === name && l.error === undefined)?.plugin?.exports,
  });

export type SporPluginApi = ReturnType<typeof pluginApiFor>;
