import {Command, Option} from 'clipanion';
import {LeaseCommand} from './lease.js';

export class RenewCommand extends LeaseCommand {
  static override paths = [['renew']];
  static override usage = Command.Usage({
    description: 'bump your live lease on a node: the heartbeat (remote mode)',
    details:
      'A lapsed lease, or one someone else took since, is refused naming the holder (exit 1). In local mode this says claims are a team feature and exits 0.',
    examples: [['Renew a node', '$0 renew task-retry-failed-e-mails']],
  });
  session = Option.String('--session', {description: 'bind the lease to this harness session'});

  execute(): Promise<number> {
    return this.lease('renew', this.session === undefined ? {} : {session: this.session});
  }
}
