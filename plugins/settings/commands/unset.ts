import {Command, Option} from 'clipanion';
import {SporCommand, HOST, SETTINGS} from '../../../core/index.js';
import {unsetConfig} from '../decide.js';

export class ConfigUnsetCommand extends SporCommand {
  static override paths = [['config', 'unset']];
  static override usage = Command.Usage({
    description: "forget this machine's value for a setting (event `config-unset`); the default applies again",
    examples: [['Back to the default hook timeout', '$0 config unset hooks.timeout']],
  });
  key = Option.String({name: 'key'});

  async execute(): Promise<number> {
    const def = this.get(SETTINGS).definition(this.key);
    const events = await this.get(HOST).handle(['settings'], ({settings: s}) => unsetConfig({key: def.key}, s));
    this.out(
      events.length === 0
        ? `${def.key} was not set on this machine; nothing to do`
        : `${def.key} unset (default: ${String(def.default)})`,
    );
    return 0;
  }
}
