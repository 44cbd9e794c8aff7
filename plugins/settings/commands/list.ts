import {Command, Option} from 'clipanion';
import {SporCommand, SETTINGS} from '../../../core/index.js';
import {settingJson, sourceLabel} from '../format.js';

export class ConfigListCommand extends SporCommand {
  static override paths = [['config', 'list'], ['config']];
  static override usage = Command.Usage({
    description: 'list every known setting with its value and where the value came from',
    examples: [['Everything, as JSON', '$0 config list --json']],
  });
  asJson = Option.Boolean('--json', false, {
    description: 'print [{key, value, source, origin, type, default, description}]',
  });

  async execute(): Promise<number> {
    const all = await this.get(SETTINGS).all();
    if (this.asJson) {
      this.json(all.map(settingJson));
      return 0;
    }
    const width = Math.max(...all.map((s) => s.key.length), 3);
    const valueWidth = Math.max(...all.map((s) => String(s.value).length), 5);
    for (const s of all) this.out(`${s.key.padEnd(width)}  ${String(s.value).padEnd(valueWidth)}  ${sourceLabel(s)}`);
    return 0;
  }
}
