import {Command, Option} from 'clipanion';
import {LeaseCommand} from './lease.js';

export class ClaimCommand extends LeaseCommand {
  static override paths = [['claim']];
  static override usage = Command.Usage({
    description: "take the team server's lease on a node (remote mode; re-claiming your own renews it)",
    details:
      'A node someone else holds is refused naming the holder and when the lease ends (exit 1). In local mode this says claims are a team feature and exits 0.',
    examples: [['Claim a node', '$0 claim task-retry-failed-e-mails']],
  });
  session = Option.String('--session', {description: 'scope the lease to this harness session'});

  execute(): Promise<number> {
    return this.lease('claim', this.session === undefined ? {} : {session: this.session});
  }
}
