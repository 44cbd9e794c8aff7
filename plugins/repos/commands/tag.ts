import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, HOST, PLUGIN_REGISTRY} from '../../../core/index.js';
import {DETECTORS} from '../api.js';
import {checkSlug} from '../decide.js';
import {normalizeTags, setTags, tagsOf} from '../tags.js';

export class ReposTagCommand extends SporCommand {
  static override paths = [['repos', 'tag']];
  static override usage = Command.Usage({
    description: "set a repo's tags (replacing them), or show them with suggestions from its checkout",
    details: `
      Tags are lower-cased, trimmed and de-duplicated; setting the same set in another order writes nothing. With no tags, shows the current ones and the tags detected from the mapped checkout (package.json → node, pyproject.toml or requirements.txt → python, go.mod → go, Cargo.toml → rust, *.tf → terraform, Gemfile → ruby, Dockerfile → docker), with the command that applies them. Norms with \`applies_to_tags\` apply to repos carrying one of those tags.
    `,
    examples: [
      ['Tag a repo', '$0 repos tag web node docker'],
      ['See suggestions', '$0 repos tag web'],
    ],
  });
  slug = Option.String({name: 'slug'});
  tags = Option.Rest({name: 'tag'});

  async execute(): Promise<number> {
    checkSlug(this.slug);
    if (this.tags.length === 0) return this.show();
    const tags = normalizeTags(this.tags);
    if (tags.length === 0)
      throw new UsageError('no tags given', {
        code: 'E_REPO_TAG',
        hint: `name them (spor repos tag ${this.slug} node docker), or remove them with spor repos untag ${this.slug}`,
      });
    const events = await this.get(HOST).handle(['graph'], ({graph}) => setTags(this.slug, tags, graph));
    this.out(
      events.length === 0
        ? `repo-${this.slug} already has tags: ${tags.join(' ')} (nothing written)`
        : `repo-${this.slug} tags: ${tags.join(' ')}`,
    );
    return 0;
  }

  private async show(): Promise<number> {
    const {graph, repos} = await this.get(HOST).read(['graph', 'repos']);
    const dir = repos.bySlug[this.slug];
    const current = tagsOf(this.slug, graph);
    this.out(`repo-${this.slug} tags: ${current.length > 0 ? current.join(' ') : '(none)'}`);
    if (dir === undefined) {
      this.out(
        `(${this.slug} is not mapped on this machine, so nothing to detect; spor repos add ${this.slug} <path>)`,
      );
      return 0;
    }
    const detected = new Set<string>();
    for (const detector of DETECTORS.items(this.get(PLUGIN_REGISTRY))) {
      try {
        for (const t of await detector.detect(dir)) detected.add(t.toLowerCase());
      } catch (e) {
        this.note(`warning: tag detector '${detector.name}' failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const suggested = [...detected].filter((t) => !current.includes(t)).sort();
    if (suggested.length === 0) {
      this.out(`no suggestions from ${dir}`);
      return 0;
    }
    this.out(`suggested from ${dir}: ${suggested.join(' ')}`);
    this.out(`apply with: spor repos tag ${this.slug} ${[...current, ...suggested].sort().join(' ')}`);
    return 0;
  }
}
