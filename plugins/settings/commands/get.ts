import {Command, Option} from 'clipanion';
import {SporCommand, SETTINGS, checkRef} from '../../../core/index.js';
import {settingJson} from '../format.js';

export class ConfigGetCommand extends SporCommand {
  static override paths = [['config', 'get']];
  static override usage = Command.Usage({
    description: 'print the value a setting resolves to here',
    details:
      "Resolution order: flag, SPOR_* environment variable, the repository's committed .spor.json (repo-safe keys), this machine (`spor config set`), default.",
    examples: [['Show the hook timeout', '$0 config get hooks.timeout']],
  });
  key = Option.String({name: 'key'});
  asJson = Option.Boolean('--json', false, {
    description: 'print {key, value, source, origin, type, default, description}',
  });

  async execute(): Promise<number> {
    checkRef(this.key, 'setting key');
    const resolved = await this.get(SETTINGS).get(this.key);
    if (this.asJson) this.json(settingJson(resolved));
    else this.out(String(resolved.value));
    return 0;
  }
}
