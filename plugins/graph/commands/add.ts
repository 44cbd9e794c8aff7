import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, CLOCK, HOST} from '../../../core/index.js';
import {addNode} from '../model/decide.js';
import {checkId, checkNodeType, checkPriority, checkSlug, deriveId, titleFrom} from '../model/ids.js';
import type {GraphNode} from '../model/model.js';

export class NodeAddCommand extends SporCommand {
  static override paths = [['add']];
  static override usage = Command.Usage({
    description: 'add a node to the work graph (event `node-added`) and print its id',
    details: `
      The title defaults to the first line of the text, shortened; the whole text is kept as the body when it says more than the title. The id is \`<type>-<kebab title>\` unless \`--id\` gives one. A taken id is refused (exit 1), never overwritten.

      Types: person, agent, task, issue, question, decision, norm, profile, repo, artifact, finding, capture-pending, correction (default task).
    `,
    examples: [
      ['A task', '$0 add "Retry failed emails"'],
      ['A p1 issue in a repo', '$0 add "Login loops on Safari" --type issue --repo web --priority p1'],
      ['A decision with its own id', '$0 add "We deploy in eu-central" --type decision --id decision-region'],
    ],
  });
  text = Option.String({name: 'text'});
  type = Option.String('--type', 'task', {description: 'the node type (default task)'});
  title = Option.String('--title', {description: "the title (default: the text's first line)"});
  repo = Option.String('--repo', {description: 'the repo slug the node belongs to'});
  priority = Option.String('--priority', {description: 'p1, p2 or p3'});
  id = Option.String('--id', {description: 'the id (default <type>-<kebab title>)'});

  async execute(): Promise<number> {
    const type = checkNodeType(this.type);
    const text = this.text.trim();
    const title = this.title?.trim() || titleFrom(text);
    if (title === '')
      throw new UsageError('the text is empty', {
        code: 'E_NODE_TITLE',
        hint: 'say what the node is: spor add "Retry failed emails"',
      });
    const id = this.id ?? deriveId(type, title);
    checkId(id);
    if (this.repo !== undefined) checkSlug(this.repo);
    const priority = this.priority === undefined ? undefined : checkPriority(this.priority);
    const node: GraphNode = {
      id,
      type,
      title,
      created: this.get(CLOCK).now().toISOString(),
      ...(this.repo !== undefined ? {repo: this.repo} : {}),
      ...(priority !== undefined ? {priority} : {}),
      ...(text !== '' && text !== title ? {body: text} : {}),
    };
    await this.get(HOST).handle(['graph'], ({graph}) => addNode(node, graph));
    this.out(id);
    return 0;
  }
}
