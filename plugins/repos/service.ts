import {inject, injectable, type Host, HOST} from '../../core/index.js';
import {addRepo} from './decide.js';
import type {ReposService} from './api.js';

/** REPOS: the repo map for other plugins' flows. */
@injectable()
export class ReposServiceImpl implements ReposService {
  constructor(@inject(HOST) private readonly host: Host) {}

  async registerIfNew(slug: string, path: string): Promise<boolean> {
    const events = await this.host.handle(['repos'], ({repos}) =>
      repos.bySlug[slug] === undefined ? addRepo({slug, path}, repos) : [],
    );
    return events.length > 0;
  }
}
