import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, HOST, checkRef} from '../../../core/index.js';
import {addEdge, removeEdge} from '../model/decide.js';
import {checkEdgeType, checkId} from '../model/ids.js';

const parseAttrs = (pairs: ReadonlyArray<string>): Record<string, string> => {
  const attrs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? '' : pair.slice(0, eq);
    if (!/^[a-z][a-z0-9_-]*$/.test(key)) {
      throw new UsageError(`invalid --attr '${pair}'`, {
        code: 'E_EDGE_ATTR',
        hint: 'write it as key=value with a lower-case key, e.g. --attr profile=profile-fast',
      });
    }
    attrs[key] = pair.slice(eq + 1);
  }
  return attrs;
};

export class EdgeAddCommand extends SporCommand {
  static override paths = [['edge']];
  static override usage = Command.Usage({
    description: 'link two nodes with a typed edge (event `edge-added`, or `edge-removed` with --rm)',
    details: `
      Edge types: owned-by, assigned (may carry --attr profile=<profile-id>), uses-profile, resolves, answers, blocks, relates-to, supersedes, constrained-by, mentions. Both nodes must exist. \`assigned\` points at a person or an agent, \`owned-by\` at a person, \`uses-profile\` at a profile.

      The edge reads left to right: \`spor edge task-a blocks task-b\` means task-a blocks task-b.
    `,
    examples: [
      ['A blocker', '$0 edge task-migrate blocks task-reindex'],
      ['Assign to an agent with a profile', '$0 edge task-migrate assigned agent-ci --attr profile=profile-fast'],
      ['Take an edge back', '$0 edge task-migrate blocks task-reindex --rm'],
    ],
  });
  from = Option.String({name: 'id'});
  type = Option.String({name: 'type'});
  to = Option.String({name: 'to'});
  attrs = Option.Array('--attr', [], {description: 'an attribute key=value (repeatable)'});
  rm = Option.Boolean('--rm', false, {description: 'remove the edge instead'});

  async execute(): Promise<number> {
    checkRef(this.from, 'node id');
    checkRef(this.to, 'node id');
    checkId(this.from);
    checkId(this.to);
    const type = checkEdgeType(this.type);
    const attrs = parseAttrs(this.attrs);
    const edge = {from: this.from, type, to: this.to, ...(Object.keys(attrs).length > 0 ? {attrs} : {})};
    const said = `${this.from} ${type} ${this.to}`;
    if (this.rm) {
      const events = await this.get(HOST).handle(['graph'], ({graph}) => removeEdge(edge, graph));
      this.out(events.length === 0 ? `no edge ${said}; nothing to remove` : `removed ${said}`);
      return 0;
    }
    const events = await this.get(HOST).handle(['graph'], ({graph}) => addEdge(edge, graph));
    this.out(events.length === 0 ? `${said} is already there` : said);
    return 0;
  }
}
