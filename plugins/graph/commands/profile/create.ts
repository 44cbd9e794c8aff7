import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, CLOCK, HOST} from '../../../../core/index.js';
import {addNode} from '../../model/decide.js';
import {checkId} from '../../model/ids.js';
import type {GraphNode} from '../../model/model.js';
import {POSTURES} from '../../../runs/api.js';

const NAME = /^[a-z0-9][a-z0-9._@/-]*$/i;

/** `a, b,,a` → [a, b]: trimmed, empties and repeats dropped. */
const list = (flag: string, value: string | undefined): Array<string> | undefined => {
  if (value === undefined) return undefined;
  const items = [
    ...new Set(
      value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
  const bad = items.find((v) => !NAME.test(v));
  if (bad !== undefined)
    throw new UsageError(`invalid ${flag} entry '${bad}'`, {
      code: 'E_PROFILE',
      hint: `${flag} takes a comma list of names, e.g. ${flag} github,linear`,
    });
  return items.length > 0 ? items : undefined;
};

export class ProfileCreateCommand extends SporCommand {
  static override paths = [['profile', 'create']];
  static override usage = Command.Usage({
    description: 'add a profile node: what a run needs (harness, model, posture, MCP servers, skills, plugins)',
    details: 'The id gets a `profile-` prefix unless it has one. A taken id is refused. Event `node-added`.',
    examples: [
      ['A Claude Code profile', '$0 profile create fast --harness claude-code --model sonnet --mcp github,linear'],
    ],
  });
  id = Option.String({name: 'id'});
  harness = Option.String('--harness', {required: true, description: 'the harness it runs on (claude-code, codex, …)'});
  model = Option.String('--model', {description: 'the model to ask for'});
  posture = Option.String('--posture', {description: 'what a run may do: read-only, edit (the default) or full'});
  mcp = Option.String('--mcp', {description: 'MCP servers it needs, comma-separated'});
  skills = Option.String('--skills', {description: 'skills it needs, comma-separated'});
  plugins = Option.String('--plugins', {description: 'harness plugins it needs, comma-separated'});

  async execute(): Promise<number> {
    const id = this.id.startsWith('profile-') ? this.id : `profile-${this.id}`;
    checkId(id, 'profile id');
    if (id === 'profile-')
      throw new UsageError('the profile needs a name', {
        code: 'E_NODE_ID',
        hint: 'e.g. spor profile create fast --harness claude-code',
      });
    if (!NAME.test(this.harness))
      throw new UsageError(`invalid harness '${this.harness}'`, {
        code: 'E_PROFILE',
        hint: 'name a harness such as claude-code or codex',
      });
    if (this.posture !== undefined && !(POSTURES as ReadonlyArray<string>).includes(this.posture))
      throw new UsageError(`unknown posture '${this.posture}'`, {
        code: 'E_POSTURE',
        hint: `valid postures: ${POSTURES.join(', ')}`,
      });
    const fields = {
      mcp: list('--mcp', this.mcp),
      skills: list('--skills', this.skills),
      plugins: list('--plugins', this.plugins),
    };
    const node: GraphNode = {
      id,
      type: 'profile',
      title: id.slice('profile-'.length),
      created: this.get(CLOCK).now().toISOString(),
      harness: this.harness,
      ...(this.model !== undefined ? {model: this.model} : {}),
      ...(this.posture !== undefined ? {posture: this.posture} : {}),
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    };
    await this.get(HOST).handle(['graph'], ({graph}) => addNode(node, graph));
    this.out(id);
    return 0;
  }
}
