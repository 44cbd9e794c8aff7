import {Command} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {clearCapabilities} from '../decide.js';
import {listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesClearCommand extends SporCommand {
  static override paths = [...under('clear')];
  static override usage = Command.Usage({
    description: 'reset every declaration and the probe cache (event `capabilities-cleared`)',
    details:
      'The deny list is kept (lift it with `spor capabilities undeny`). The next `spor capabilities` or `check` probes afresh.',
    examples: [['Start over', '$0 capabilities clear']],
  });

  async execute(): Promise<number> {
    let deny: Array<string> = [];
    const events = await this.get(HOST).handle(['capabilities'], ({capabilities}) => {
      deny = capabilities.deny;
      return clearCapabilities(capabilities);
    });
    this.out(
      events.length > 0
        ? 'cleared declarations and the probe cache'
        : 'nothing declared and no probe on record; nothing written',
    );
    if (deny.length > 0)
      this.out(`kept the deny list: ${listed(deny)} (lift with \`spor capabilities undeny <profile-id>\`)`);
    return 0;
  }
}
