import {Command, Option} from 'clipanion';
import {SporCommand} from '../../../core/index.js';
import {REMOTE} from '../../remote/api.js';
import {hostLines, hostsFor} from '../remote.js';
import {under} from './paths.js';

export class CapabilitiesHostsCommand extends SporCommand {
  static override paths = [...under('hosts')];
  static override usage = Command.Usage({
    description: 'which machines of the fleet can run a profile (remote mode)',
    details: `
      Asks the team server to match the profile against every published machine with the same \`satisfies()\` this machine runs: the ones that can run it, freshest first, then the ones that cannot, each with its reasons. A member sees their own machines, an admin the whole fleet (\`--owner\` narrows it). \`--max-age\` (30m, 12h, 7d) counts machines not seen for that long as unable. Remote mode only.
    `,
    examples: [
      ['Who can run it', '$0 capabilities hosts profile-claude-linear'],
      ['Seen in the last hour', '$0 caps hosts profile-claude-linear --max-age 1h'],
    ],
  });
  profile = Option.String({name: 'profile-id'});
  owner = Option.String('--owner', {description: 'me, or person-<id> (admins)'});
  maxAge = Option.String('--max-age', {description: 'a machine not seen for this long cannot run it (30m, 12h, 7d)'});
  asJson = Option.Boolean('--json', false, {description: "print the server's answer as JSON"});

  async execute(): Promise<number> {
    const client = await this.get(REMOTE).required('fleet hosts');
    const hosts = await hostsFor(client, this.profile, {
      ...(this.owner ? {owner: this.owner} : {}),
      ...(this.maxAge ? {max_age: this.maxAge} : {}),
    });
    if (this.asJson) {
      this.json(hosts);
      return 0;
    }
    this.out(
      hosts.satisfiable.length > 0
        ? `${this.profile}: ${hosts.satisfiable.length} of ${hosts.satisfiable.length + hosts.unsatisfiable.length} machines can run it`
        : `${this.profile}: no published machine can run it${hosts.unsatisfiable.length === 0 ? ' (none published)' : ''}`,
    );
    for (const l of hostLines(hosts)) this.out(l);
    return 0;
  }
}
