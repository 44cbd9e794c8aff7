import {statSync} from 'node:fs';
import {resolve} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, HOST, checkPath} from '../../../core/index.js';
import {addRepo, checkSlug} from '../decide.js';

export class ReposAddCommand extends SporCommand {
  static override paths = [['repos', 'add']];
  static override usage = Command.Usage({
    description: 'map a repo slug to a directory on this machine (event `repo-added`)',
    details:
      'The path is stored absolute and must be an existing directory. Adding a slug that is already mapped re-points it.',
    examples: [['Map the current checkout', '$0 repos add my-service .']],
  });
  slug = Option.String({name: 'slug'});
  dir = Option.String({name: 'path'});

  async execute(): Promise<number> {
    checkPath(this.dir, 'path');
    checkSlug(this.slug);
    const path = resolve(this.context.cwd, this.dir);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`directory not found: ${path}`, {
        code: 'E_REPO_PATH',
        hint: 'give the path of an existing checkout',
      });
    }
    if (!isDir)
      throw new UsageError(`not a directory: ${path}`, {
        code: 'E_REPO_PATH',
        hint: "give the checkout's directory, not a file in it",
      });
    let previous: string | undefined;
    const events = await this.get(HOST).handle(['repos'], ({repos}) => {
      previous = repos.bySlug[this.slug];
      return addRepo({slug: this.slug, path}, repos);
    });
    if (events.length === 0) this.out(`${this.slug} is already mapped to ${path}`);
    else if (previous !== undefined) this.out(`re-pointed ${this.slug}: ${previous} → ${path}`);
    else this.out(`mapped ${this.slug} → ${path}`);
    return 0;
  }
}
