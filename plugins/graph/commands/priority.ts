import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {setPriority} from '../model/decide.js';
import {checkPriority} from '../model/ids.js';

export class NodePriorityCommand extends SporCommand {
  static override paths = [['priority']];
  static override usage = Command.Usage({
    description: "set or clear a node's priority (event `node-updated`); p1 ranks first in `spor next`",
    examples: [
      ['Make it urgent', '$0 priority task-retry-emails p1'],
      ['Drop the priority', '$0 priority task-retry-emails clear'],
    ],
  });
  id = Option.String({name: 'id'});
  level = Option.String({name: 'p1|p2|p3|clear'});

  async execute(): Promise<number> {
    checkRef(this.id, 'node id');
    const level = this.level === 'clear' ? 'clear' : checkPriority(this.level);
    const events = await this.get(HOST).handle(['graph'], ({graph}) => setPriority(this.id, level, graph));
    if (events.length === 0)
      this.out(level === 'clear' ? `${this.id} has no priority` : `${this.id} is already ${level}`);
    else this.out(level === 'clear' ? `${this.id}: priority cleared` : `${this.id}: priority ${level}`);
    return 0;
  }
}
