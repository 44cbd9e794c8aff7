import type {CommandClass} from 'clipanion';
import type {Contributed} from './contributions.js';
import type {SporContext} from './context.js';
import type {LoadedPlugin, PointDefinition, Projection, Reaction, SettingDefinition} from './plugin.js';

/** An extension point as registered: its owner and description (`definition` may evaluate a lazy built-in). */
export interface RegisteredPoint {
  plugin: string;
  description: string;
  readonly definition: PointDefinition;
}

/** What the loaded plugins contributed, and who contributed each piece. Filled by the loader. */
export class PluginRegistry {
  readonly plugins: Array<LoadedPlugin> = [];
  readonly commands = new Map<string, {plugin: string; command: CommandClass<SporContext>}>();
  readonly projections = new Map<string, {plugin: string; projection: Projection<unknown>}>();
  readonly reactions: Array<{plugin: string; reaction: Reaction}> = [];
  readonly settings = new Map<string, {plugin: string; setting: SettingDefinition}>();
  /** Extension points by name, and the items contributed to each, by point then item name. */
  readonly points = new Map<string, RegisteredPoint>();
  readonly contributions = new Map<string, Map<string, Contributed>>();
  /**
   * Who registered each token last (`core`, a plugin's name, or a not yet loaded built-in's
   * placeholder): the last registration is the one the container resolves.
   */
  readonly tokenOwners = new Map<symbol, string>();

  /** Records that `owner` registered `t` (the registrar's callback). */
  registered(t: symbol, owner: string): void {
    this.tokenOwners.set(t, owner);
  }

  /** Adds an item to a point (the loader has checked it clashes with nothing). */
  contribute(point: string, entry: Contributed): void {
    let items = this.contributions.get(point);
    if (!items) {
      items = new Map();
      this.contributions.set(point, items);
    }
    items.set(entry.data.name, entry);
  }

  /** The items contributed to `point`, in load order. */
  contributed(point: string): Array<Contributed> {
    return [...(this.contributions.get(point)?.values() ?? [])];
  }

  /** Every token registered in the container, core's and plugins' (a test resolves them all). */
  get tokens(): ReadonlySet<symbol> {
    return new Set(this.tokenOwners.keys());
  }

  projection(name: string): Projection<unknown> | undefined {
    return this.projections.get(name)?.projection;
  }

  /** The plugins that failed to load or were skipped, for warnings and `spor plugins list`. */
  failures(): Array<LoadedPlugin> {
    return this.plugins.filter((p) => p.error !== undefined);
  }
}

/** The CLI path(s) a command class answers to, as space-joined strings (`repos add`). */
export const commandPaths = (command: CommandClass<SporContext>): Array<string> =>
  (command.paths ?? [[]]).map((p) => p.join(' '));
