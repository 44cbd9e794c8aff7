import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {checkSlug, removeRepo} from '../decide.js';

export class ReposRmCommand extends SporCommand {
  static override paths = [['repos', 'rm']];
  static override usage = Command.Usage({
    description: "remove a slug from this machine's map (event `repo-removed`); the directory is untouched",
    examples: [['Forget a slug', '$0 repos rm my-service']],
  });
  slug = Option.String({name: 'slug'});

  async execute(): Promise<number> {
    checkSlug(this.slug);
    let path: string | undefined;
    const events = await this.get(HOST).handle(['repos'], ({repos}) => {
      path = repos.bySlug[this.slug];
      return removeRepo({slug: this.slug}, repos);
    });
    this.out(
      events.length === 0
        ? `no repo '${this.slug}' is mapped; nothing to remove`
        : `removed ${this.slug} (was ${path})`,
    );
    return 0;
  }
}
