import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {need, updateNode} from '../model/decide.js';
import {checkStatus} from '../model/ids.js';
import {isTerminal} from '../model/rules.js';

export class NodeSetStatusCommand extends SporCommand {
  static override paths = [['set-status']];
  static override usage = Command.Usage({
    description: "set a node's status (event `node-updated`)",
    details:
      'Terminal statuses resolve the node: done, resolved, answered, closed, completed, abandoned, rejected, superseded, merged, retired, dismissed, deprecated.',
    examples: [['Close a task', '$0 set-status task-retry-emails done']],
  });
  id = Option.String({name: 'id'});
  status = Option.String({name: 'status'});

  async execute(): Promise<number> {
    checkRef(this.id, 'node id');
    checkStatus(this.status);
    let before: string | undefined;
    const events = await this.get(HOST).handle(['graph'], ({graph}) => {
      before = need(graph, this.id).status;
      return updateNode(this.id, graph, {status: this.status});
    });
    if (events.length === 0) {
      this.out(`${this.id} is already ${this.status}`);
      return 0;
    }
    this.out(`${this.id}: ${before ?? '(no status)'} → ${this.status}${isTerminal(this.status) ? ' (resolved)' : ''}`);
    return 0;
  }
}
