// Library entry (dist/core.js) for benchmarks, the build's manifest pass and the store's multi-process tests.
export {EventCatalog} from './catalog.js';
export {EventStore} from './eventStore.js';
export {sporPaths} from './paths.js';
export {encodeLine, decodeLine} from './logFormat.js';
export {scanLog} from './logScanner.js';
export {systemClock, randomIds} from './clock.js';
export {boot} from './bootstrap.js';
export {builtinPlugins} from './builtins.js';
export {describeRegistry} from './manifest.js';
export {runCli} from './cli.js';
export {resolve} from './di.js';
export * as tokens from './tokens.js';
export {ConflictError, StoreError} from './errors.js';
