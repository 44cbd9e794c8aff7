import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {setReady} from '../model/decide.js';
import {GRAPH_READER} from '../api.js';

export class NodeReadyCommand extends SporCommand {
  static override paths = [['ready']];
  static override usage = Command.Usage({
    description: 'mark a node ready for an agent, or clear the mark (event `node-updated`)',
    details:
      'Readiness is derived and human wins: a node that requires a human, is assigned to a person, or is an open question stays `human` whatever the mark says. The command prints the derived readiness.',
    examples: [
      ['Let an agent take it', '$0 ready task-retry-emails'],
      ['Take the mark back', '$0 ready task-retry-emails --clear'],
    ],
  });
  id = Option.String({name: 'id'});
  clear = Option.Boolean('--clear', false, {description: 'remove the mark'});

  async execute(): Promise<number> {
    checkRef(this.id, 'node id');
    const events = await this.get(HOST).handle(['graph'], ({graph}) => setReady(this.id, this.clear, graph));
    const what = this.clear ? 'not marked ready' : 'marked ready for an agent';
    const {readiness, reasons} = (await this.get(GRAPH_READER).view()).readiness(this.id);
    this.out(
      `${this.id}: ${events.length === 0 ? `already ${what}` : what}; readiness ${readiness} (${reasons.join('; ')})`,
    );
    return 0;
  }
}
