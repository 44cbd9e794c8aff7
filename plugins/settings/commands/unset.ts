import {Command, Option} from 'clipanion';
import {SporCommand, HOST, PLUGIN_REGISTRY, SETTINGS, checkRef} from '../../../core/index.js';
import {recordable, unsetConfig} from '../decide.js';

export class ConfigUnsetCommand extends SporCommand {
  static override paths = [['config', 'unset']];
  static override usage = Command.Usage({
    description: "forget this machine's value for a setting (event `config-unset`); the default applies again",
    examples: [['Back to the default hook timeout', '$0 config unset hooks.timeout']],
  });
  key = Option.String({name: 'key'});

  async execute(): Promise<number> {
    checkRef(this.key, 'setting key');
    const def = recordable(this.get(SETTINGS).definition(this.key), this.get(PLUGIN_REGISTRY));
    const events = await this.get(HOST).handle(['settings'], ({settings: s}) =>
      unsetConfig({key: def.key, aliases: def.aliases}, s),
    );
    this.out(
      events.length === 0
        ? `${def.key} was not set on this machine; nothing to do`
        : `${def.key} unset (default: ${String(def.default)})`,
    );
    return 0;
  }
}
