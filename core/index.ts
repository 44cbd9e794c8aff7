// The one entry through which plugins reach the core (ESLint's no-restricted-imports holds every
// file under plugins/ to it): the plugin contract, the host services and their tokens, errors,
// and the few core helpers plugins share. Everything else in core/ is the host's own business.
export * from './api.js';
export * from './builtinModules.js';
export * from './catalog.js';
export * from './childEnv.js';
export * from './clock.js';
export * from './command.js';
export * from './context.js';
export type {LogRepaired, ReactionFailed} from './coreEvents.js';
export * from './contributions.js';
export * from './di.js';
export * from './duration.js';
export * from './errors.js';
export * from './eventBus.js';
export * from './eventStore.js';
export * from './events.js';
export * from './hookRunner.js';
export * from './input.js';
export * from './host.js';
export * from './lock.js';
export * from './logFormat.js';
export * from './paths.js';
export * from './plugin.js';
export * from './printable.js';
export * from './pluginLoader.js';
export * from './pluginRegistry.js';
export * from './projector.js';
export type {RecordReader} from './records.js';
export * from './settings.js';
export * from './suggest.js';
export * from './tokens.js';
