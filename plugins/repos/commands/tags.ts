import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {metaIn, nodesOfType} from '../../graph/api.js';

export class ReposTagsCommand extends SporCommand {
  static override paths = [['repos', 'tags']];
  static override usage = Command.Usage({
    description: 'list every repo node with the slugs mapped to it on this machine and its tags',
    details: '`--json` prints `[{id, slugs, tags}]`, sorted by id.',
    examples: [['As JSON', '$0 repos tags --json']],
  });
  asJson = Option.Boolean('--json', false, {description: 'print [{id, slugs, tags}]'});

  async execute(): Promise<number> {
    const {graph, repos} = await this.get(HOST).read(['graph', 'repos']);
    const rows = nodesOfType(graph, 'repo')
      .map((n) => n.id)
      .sort()
      .map((id) => {
        const slugs = Object.keys(repos.bySlug).filter((s) => `repo-${s}` === id);
        return {id, slugs, tags: [...(metaIn(graph, id)?.tags ?? [])].sort()};
      });
    if (this.asJson) {
      this.json(rows);
      return 0;
    }
    if (rows.length === 0) {
      this.out('no repo nodes yet; `spor repos add <slug> <path>` creates one');
      return 0;
    }
    const w = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows)
      this.out(
        `${r.id.padEnd(w)}  ${r.slugs.length > 0 ? r.slugs.join(',') : '(not mapped here)'}  ${r.tags.length > 0 ? r.tags.join(' ') : '(no tags)'}`,
      );
    return 0;
  }
}
