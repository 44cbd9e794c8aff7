import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {undenyProfiles} from '../decide.js';
import {listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesUndenyCommand extends SporCommand {
  static override paths = [...under('undeny'), ...under('allow')];
  static override usage = Command.Usage({
    description: "lift this machine's opt-out of profiles (one `profile-undenied` each)",
    details: 'Profiles not denied change nothing. Alias: `spor capabilities allow`.',
    examples: [['Allow the prod profile again', '$0 capabilities undeny profile-prod-deploy']],
  });
  profiles = Option.Rest({name: 'profile-id', required: 1});

  async execute(): Promise<number> {
    const events = await this.get(HOST).handle(['capabilities'], ({capabilities}) =>
      undenyProfiles(capabilities, this.profiles),
    );
    const lifted = events.map((e) => (e.data as {profile: string}).profile);
    const notDenied = [...new Set(this.profiles.filter((p) => !lifted.includes(p)))];
    if (lifted.length > 0) this.out(`no longer denied: ${listed(lifted)}`);
    if (notDenied.length > 0)
      this.out(`not denied: ${listed(notDenied)}${lifted.length === 0 ? '; nothing written' : ''}`);
    return 0;
  }
}
