import {Command, Option} from 'clipanion';
import {SporCommand, CLOCK, printableLines} from '../../../core/index.js';
import {NODE_ID} from '../model/model.js';
import {BRIEF_COMPILER, GRAPH_READER} from '../api.js';

export class BriefCompileCommand extends SporCommand {
  static override paths = [['brief']];
  static override usage = Command.Usage({
    description: 'compile the context an agent needs for a node, or find the nodes that match some words',
    details: `
      For a node: the node, its open blockers, the decisions in force it is linked to (superseded ones are left out, naming what superseded them), the norms that apply to its repo, open questions around it, and other linked nodes. The default is a digest of at most 4 KiB; \`--full\` gives everything, bodies included.

      Anything that is not one kebab-case word (or is a single plain word that names no node) is a free-text query: the nodes whose titles and summaries match it best.

      \`--json\` prints \`{node?, text, size, sections}\`, where sections lists the node ids included under each heading.
    `,
    examples: [
      ['Brief a task', '$0 brief task-retry-emails'],
      ['Everything, bodies included', '$0 brief task-retry-emails --full'],
      ['Search by words', '$0 brief "email retries"'],
    ],
  });
  words = Option.Rest({required: 1, name: 'id | "free text"'});
  full = Option.Boolean('--full', false, {description: 'everything, not a digest'});
  asJson = Option.Boolean('--json', false, {description: 'print {node?, text, size, sections} as JSON'});

  async execute(): Promise<number> {
    const view = await this.get(GRAPH_READER).view();
    const text = this.words.join(' ').trim();
    // A lone kebab word with a dash reads as an id (a typo gets "did you mean"); a lone word
    // without one is an id only when such a node exists.
    const isId = this.words.length === 1 && NODE_ID.test(text) && (text.includes('-') || view.meta(text) !== undefined);
    const brief = this.get(BRIEF_COMPILER).compile(view, isId ? {id: text} : {query: text}, {
      full: this.full,
      now: this.get(CLOCK).now(),
    });
    if (this.asJson) this.json(brief);
    else this.context.stdout.write(printableLines(brief.text));
    return 0;
  }
}
