import {Command} from 'clipanion';
import {LeaseCommand} from './lease.js';

export class ReleaseCommand extends LeaseCommand {
  static override paths = [['release']];
  static override usage = Command.Usage({
    description: 'drop your lease on a node and its `assigned` edge, returning it to the pool (remote mode)',
    details:
      'Releasing a node you do not hold succeeds (nothing to do); one someone else holds is refused naming them. In local mode this says claims are a team feature and exits 0.',
    examples: [['Release a node', '$0 release task-retry-failed-e-mails']],
  });

  execute(): Promise<number> {
    return this.lease('release', {});
  }
}
