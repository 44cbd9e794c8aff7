import type {Writable} from 'node:stream';
import type {EventCatalog} from './catalog.js';
import type {SporPluginApi} from './api.js';
import type {Clock, IdSource} from './clock.js';
import {token} from './di.js';
import type {Actor} from './events.js';
import type {EventBus} from './eventBus.js';
import type {EventStore} from './eventStore.js';
import type {Host} from './host.js';
import type {SporPaths} from './paths.js';
import type {PluginRegistry} from './pluginRegistry.js';
import type {Projector} from './projector.js';
import type {Settings} from './settings.js';

export const PATHS = token<SporPaths>('spor.core.Paths');
export const CLOCK = token<Clock>('spor.core.Clock');
export const ID_SOURCE = token<IdSource>('spor.core.IdSource');
/** Who this process acts as; a function when finding out costs something (the user database). */
export const ACTOR = token<Actor | (() => Actor)>('spor.core.Actor');
/** The environment spor was started with (tests pass their own). */
export const ENV = token<NodeJS.ProcessEnv>('spor.core.Env');
/** The directory spor was started in. */
export const CWD = token<string>('spor.core.Cwd');
export const STDERR = token<Writable>('spor.core.Stderr');
export const EVENT_CATALOG = token<EventCatalog>('spor.core.EventCatalog');
export const EVENT_STORE = token<EventStore>('spor.core.EventStore');
export const PROJECTOR = token<Projector>('spor.core.Projector');
export const EVENT_BUS = token<EventBus>('spor.core.EventBus');
export const HOST = token<Host>('spor.core.Host');
export const SETTINGS = token<Settings>('spor.core.Settings');
export const PLUGIN_REGISTRY = token<PluginRegistry>('spor.core.PluginRegistry');
/** The API user plugins' factories receive (`spor plugins add` vets a candidate with it). */
export const PLUGIN_API = token<SporPluginApi>('spor.core.PluginApi');
