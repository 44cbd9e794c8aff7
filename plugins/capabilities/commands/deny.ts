import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {denyProfiles} from '../decide.js';
import {listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesDenyCommand extends SporCommand {
  static override paths = [...under('deny')];
  static override usage = Command.Usage({
    description: 'opt this machine out of profiles, whatever it could run (one `profile-denied` each)',
    details:
      'A denied profile never satisfies `spor capabilities check` here. Profiles already denied change nothing. `spor capabilities clear` keeps the deny list; `undeny` lifts it.',
    examples: [['Never run the prod profile here', '$0 capabilities deny profile-prod-deploy']],
  });
  profiles = Option.Rest({name: 'profile-id', required: 1});

  async execute(): Promise<number> {
    const events = await this.get(HOST).handle(['capabilities'], ({capabilities}) =>
      denyProfiles(capabilities, this.profiles),
    );
    const denied = events.map((e) => (e.data as {profile: string}).profile);
    const already = [...new Set(this.profiles.filter((p) => !denied.includes(p)))];
    if (denied.length > 0) this.out(`denied: ${listed(denied)}`);
    if (already.length > 0)
      this.out(`already denied: ${listed(already)}${denied.length === 0 ? '; nothing written' : ''}`);
    return 0;
  }
}
