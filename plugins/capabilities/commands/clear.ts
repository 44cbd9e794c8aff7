import {Command} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {clearCapabilities} from '../decide.js';
import {listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesClearCommand extends SporCommand {
  static override paths = [...under('clear'), ...under('reset')];
  static override usage = Command.Usage({
    description:
      'reset every declaration, the deny list and the probe cache (`capabilities-cleared`, one `profile-undenied` each)',
    details:
      'Deny flags are declarations too, so they go with the rest. The next `spor capabilities` or `check` probes afresh. Alias: `spor capabilities reset`.',
    examples: [['Start over', '$0 capabilities clear']],
  });

  async execute(): Promise<number> {
    const events = await this.get(HOST).handle(['capabilities'], ({capabilities}) => clearCapabilities(capabilities));
    const lifted = events.flatMap((e) =>
      e.type === 'profile-undenied' ? [(e.data as {profile: string}).profile] : [],
    );
    if (events.some((e) => e.type === 'capabilities-cleared')) this.out('cleared declarations and the probe cache');
    if (lifted.length > 0) this.out(`lifted the deny list: ${listed(lifted)}`);
    if (events.length === 0) this.out('nothing declared, denied or probed; nothing written');
    return 0;
  }
}
