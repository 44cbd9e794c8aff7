import {Command, Option} from 'clipanion';
import {SporCommand, envNameOf, ENV, HOST, PLUGIN_REGISTRY, SETTINGS, checkRef} from '../../../core/index.js';
import {recordable, setConfig} from '../decide.js';

export class ConfigSetCommand extends SporCommand {
  static override paths = [['config', 'set']];
  static override usage = Command.Usage({
    description: 'record a setting for this machine (event `config-set`)',
    examples: [['Give hooks a minute', '$0 config set hooks.timeout 1m']],
  });
  key = Option.String({name: 'key'});
  value = Option.String({name: 'value'});

  async execute(): Promise<number> {
    checkRef(this.key, 'setting key');
    const settings = this.get(SETTINGS);
    const def = recordable(settings.definition(this.key), this.get(PLUGIN_REGISTRY));
    const value = settings.parse(def, this.value);
    const events = await this.get(HOST).handle(['settings'], ({settings: s}) =>
      setConfig({key: def.key, aliases: def.aliases, value}, s),
    );
    if (events.length === 0) this.out(`${def.key} is already ${String(value)} on this machine`);
    else this.out(`${def.key} = ${String(value)}`);
    const envName = envNameOf(def.key);
    if (this.get(ENV)[envName]) this.note(`note: ${envName} is set in this environment and overrides it`);
    return 0;
  }
}
