import {Command, Option} from 'clipanion';
import {SporCommand, readUserPlugins, HOST, PATHS, PLUGIN_REGISTRY} from '../../../core/index.js';
import {removePlugin} from '../decide.js';

export class PluginsRmCommand extends SporCommand {
  static override paths = [['plugins', 'rm']];
  static override usage = Command.Usage({
    description: 'remove a user plugin (event `plugin-removed`); it no longer loads',
    details: "Built-in plugins cannot be removed. An npm plugin's package stays under $SPOR_HOME/plugins.",
    examples: [['Stop loading a plugin', '$0 plugins rm slack-notify']],
  });
  name = Option.String({name: 'name'});

  async execute(): Promise<number> {
    const registry = this.get(PLUGIN_REGISTRY);
    const builtin = registry.plugins.some((p) => p.source === 'builtin' && p.name === this.name);
    // A name the log never saw can still be in the file (edited by hand) or loaded from it.
    const listed =
      readUserPlugins(this.get(PATHS).userPlugins).entries.some((e) => e.name === this.name) ||
      registry.plugins.some((p) => p.source !== 'builtin' && p.name === this.name);
    const events = await this.get(HOST).handle(['plugins'], ({plugins}) =>
      removePlugin({name: this.name}, plugins, {builtin, listed}),
    );
    this.out(
      events.length === 0
        ? `no user plugin '${this.name}' is added; nothing to remove`
        : `removed plugin ${this.name}; it no longer loads`,
    );
    return 0;
  }
}
