import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, CLOCK} from '../../../core/index.js';
import {queueLines} from '../view/format.js';
import {checkSlug} from '../model/ids.js';
import {QUEUE_TYPES} from '../model/rules.js';
import {GRAPH_READER, QUEUE_RANKER} from '../api.js';

const checkQueueTypes = (flag: string, types: ReadonlyArray<string>): Array<string> => {
  const all = types
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const bad = all.find((t) => !QUEUE_TYPES.includes(t));
  if (bad !== undefined) {
    throw new UsageError(`${flag} '${bad}': only ${QUEUE_TYPES.join(', ')} nodes are queued`, {
      code: 'E_QUEUE_TYPE',
      hint: `use ${flag} with one of: ${QUEUE_TYPES.join(', ')}`,
    });
  }
  return all;
};

export class QueueNextCommand extends SporCommand {
  static override paths = [['next']];
  static override usage = Command.Usage({
    description: 'rank the open work: unresolved tasks, issues and questions, best first',
    details: `
      Priority dominates (p1 > p2 > p3 > none), then how many open nodes the item unblocks, then age. Blocked items (an unresolved \`blocks\` edge into them) and dormant ones (\`wake\` in the future) are hidden and counted. The ranking is the QUEUE_RANKER service, which a plugin may replace.

      \`--json\` prints \`{items: [{id, type, title, repo, priority, score, readiness, why}], counts: {open, shown, blocked, dormant, filtered}}\` (repo and priority are null when unset).
    `,
    examples: [
      ['The top ten', '$0 next'],
      ['Issues in one repo, as JSON', '$0 next --repo web --type issue --json'],
    ],
  });
  repo = Option.String('--repo', {description: 'only nodes stamped with this repo slug'});
  types = Option.Array('--type', [], {description: 'only this type: task, issue or question (repeatable)'});
  excludeTypes = Option.Array('--exclude-type', [], {description: 'leave this type out (repeatable)'});
  limit = Option.String('--limit', '10', {description: 'how many to show (0 for all; default 10)'});
  asJson = Option.Boolean('--json', false, {description: 'print {items, counts} as JSON'});

  async execute(): Promise<number> {
    if (this.repo !== undefined) checkSlug(this.repo);
    const types = checkQueueTypes('--type', this.types);
    const excludeTypes = checkQueueTypes('--exclude-type', this.excludeTypes);
    if (!/^\d+$/.test(this.limit))
      throw new UsageError(`invalid --limit '${this.limit}'`, {
        code: 'E_LIMIT',
        hint: 'give a whole number (0 shows everything)',
      });
    const view = await this.get(GRAPH_READER).view();
    const result = this.get(QUEUE_RANKER).rank(view, {
      repo: this.repo,
      types,
      excludeTypes,
      limit: Number(this.limit),
      now: this.get(CLOCK).now(),
    });
    if (this.asJson) {
      this.json({
        items: result.items.map((i) => ({
          id: i.id,
          type: i.type,
          title: i.title,
          repo: i.repo ?? null,
          priority: i.priority ?? null,
          score: i.score,
          readiness: i.readiness,
          why: i.why,
        })),
        counts: result.counts,
      });
      return 0;
    }
    for (const line of queueLines(result)) this.out(line);
    return 0;
  }
}
