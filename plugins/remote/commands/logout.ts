import {Command} from 'clipanion';
import {SporCommand, ENV, PATHS} from '../../../core/index.js';
import {readCredentials, removeCredentials} from '../credentials.js';

export class LogoutCommand extends SporCommand {
  static override paths = [['logout']];
  static override usage = Command.Usage({
    description: 'forget the team server `spor login` saved (this machine returns to local mode)',
    examples: [['Log out', '$0 logout']],
  });

  async execute(): Promise<number> {
    const home = this.get(PATHS).home;
    let server: string | undefined;
    try {
      server = readCredentials(home)?.server;
    } catch {
      server = undefined; // a damaged file is removed all the same
    }
    const removed = removeCredentials(home);
    this.out(removed ? `logged out${server ? ` of ${server}` : ''}` : 'not logged in');
    const env = this.get(ENV);
    if (env.SPOR_SERVER || env.SPOR_TOKEN)
      this.note('SPOR_SERVER / SPOR_TOKEN in the environment still select a team server; unset them for local mode');
    return 0;
  }
}
