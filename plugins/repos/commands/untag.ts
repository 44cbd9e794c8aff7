import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {checkSlug} from '../decide.js';
import {normalizeTags, setTags, tagsOf} from '../tags.js';

export class ReposUntagCommand extends SporCommand {
  static override paths = [['repos', 'untag']];
  static override usage = Command.Usage({
    description: "remove some of a repo's tags, or all of them",
    examples: [
      ['Remove one', '$0 repos untag web docker'],
      ['Remove all', '$0 repos untag web'],
    ],
  });
  slug = Option.String({name: 'slug'});
  tags = Option.Rest({name: 'tag'});

  async execute(): Promise<number> {
    checkSlug(this.slug);
    const drop = normalizeTags(this.tags);
    let left: Array<string> = [];
    const events = await this.get(HOST).handle(['graph'], ({graph}) => {
      const current = tagsOf(this.slug, graph);
      left = drop.length === 0 ? [] : current.filter((t) => !drop.includes(t));
      return current.length === left.length ? [] : setTags(this.slug, left, graph);
    });
    this.out(
      events.length === 0
        ? `repo-${this.slug}: nothing to remove`
        : `repo-${this.slug} tags: ${left.length > 0 ? left.join(' ') : '(none)'}`,
    );
    return 0;
  }
}
