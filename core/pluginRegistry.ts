import type {CommandClass} from 'clipanion';
import type {SporContext} from './context.js';
import type {
  HarnessAdapter,
  LoadedPlugin,
  Prober,
  Projection,
  Reaction,
  SettingDefinition,
  TagDetector,
} from './plugin.js';

/** What the loaded plugins contributed, and who contributed each piece. Filled by the loader. */
export class PluginRegistry {
  readonly plugins: Array<LoadedPlugin> = [];
  readonly commands = new Map<string, {plugin: string; command: CommandClass<SporContext>}>();
  readonly projections = new Map<string, {plugin: string; projection: Projection<unknown>}>();
  readonly reactions: Array<{plugin: string; reaction: Reaction}> = [];
  readonly settings = new Map<string, {plugin: string; setting: SettingDefinition}>();
  readonly probers = new Map<string, {plugin: string; prober: Prober}>();
  readonly detectors = new Map<string, {plugin: string; detector: TagDetector}>();
  readonly harnesses = new Map<string, {plugin: string; harness: HarnessAdapter}>();
  /**
   * Who registered each token last (`core`, a plugin's name, or a not yet loaded built-in's
   * placeholder): the last registration is the one the container resolves.
   */
  readonly tokenOwners = new Map<symbol, string>();

  /** Records that `owner` registered `t` (the registrar's callback). */
  registered(t: symbol, owner: string): void {
    this.tokenOwners.set(t, owner);
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
