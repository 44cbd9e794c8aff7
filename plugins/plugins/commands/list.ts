import {Command, Option} from 'clipanion';
import {SporCommand, type LoadedPlugin, type PluginSource, PLUGIN_REGISTRY} from '../../../core/index.js';
import {contributionsOf, describeContributions, type Contributions} from '../contributions.js';

/** One row of `spor plugins list --json` (documented in plugins/plugins/README.md). */
export interface PluginRow {
  name: string;
  version: string;
  source: PluginSource;
  location: string;
  loaded: boolean;
  error: string | null;
  contributes: Contributions;
}

export const rowOf = (l: LoadedPlugin, points: Iterable<string>): PluginRow => ({
  name: l.name,
  version: l.version,
  source: l.source,
  location: l.location,
  loaded: l.error === undefined,
  error: l.error ?? null,
  contributes: contributionsOf(l.plugin, points),
});

export class PluginsListCommand extends SporCommand {
  static override paths = [['plugins'], ['plugins', 'list']];
  static override usage = Command.Usage({
    description:
      'list every plugin loaded at start-up (built-ins, then user plugins), what each contributes, and load errors',
    examples: [['As JSON', '$0 plugins list --json']],
  });
  asJson = Option.Boolean('--json', false, {
    description: 'print [{name, version, source, location, loaded, error, contributes}]',
  });

  async execute(): Promise<number> {
    const registry = this.get(PLUGIN_REGISTRY);
    const rows = registry.plugins.map((l) => rowOf(l, registry.points.keys()));
    if (this.asJson) {
      this.json(rows);
      return 0;
    }
    for (const r of rows) {
      this.out(`${r.name} ${r.version}  ${r.source}  ${r.location}${r.loaded ? '' : '  NOT LOADED'}`);
      if (r.error !== null) this.out(`  error: ${r.error}`);
      for (const part of describeContributions(r.contributes)) this.out(`  ${part}`);
    }
    if (!rows.some((r) => r.source !== 'builtin'))
      this.out('no user plugins; add one with `spor plugins add <path|package>`');
    return 0;
  }
}
