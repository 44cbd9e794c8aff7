import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, closest, checkRef} from '../../../core/index.js';
import {reportLines, reportOf} from '../view/format.js';
import {GRAPH_READER} from '../api.js';

export class NodeGetCommand extends SporCommand {
  static override paths = [['get']];
  static override usage = Command.Usage({
    description: 'show a node: its fields, edges in and out (inert ones too), resolution and readiness',
    details:
      '`--json` prints `{node, inert, resolved, resolution, readiness: {readiness, reasons}, blockers, edges: {out, in}}`; each edge is `{type, from, to, attrs?, inert, missing, live}`.',
    examples: [['As JSON', '$0 get task-retry-emails --json']],
  });
  id = Option.String({name: 'id'});
  asJson = Option.Boolean('--json', false, {description: 'print the node and what spor derives from it as JSON'});

  async execute(): Promise<number> {
    checkRef(this.id, 'node id');
    const view = await this.get(GRAPH_READER).view();
    const node = view.node(this.id);
    if (!node) {
      const guess = closest(
        this.id,
        view.nodes().map((n) => n.id),
      );
      throw new RefusalError(`no node '${this.id}'`, {
        code: 'E_NODE_UNKNOWN',
        hint: guess
          ? `did you mean '${guess}'?`
          : 'add one with `spor add`, or import a graph with `spor import <dir>`',
      });
    }
    const report = reportOf(view, node);
    if (this.asJson) this.json(report);
    else for (const line of reportLines(report)) this.out(line);
    return 0;
  }
}
