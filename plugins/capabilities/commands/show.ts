import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, UsageError, SETTINGS} from '../../../core/index.js';
import {AGENT_KEY} from '../../agent/api.js';
import {REMOTE, requireAgentId} from '../../remote/api.js';
import {renderView} from '../format.js';
import {readPublished} from '../remote.js';
import {CAPABILITIES} from '../api.js';
import {under} from './paths.js';

export class CapabilitiesShowCommand extends SporCommand {
  static override paths = [...under(), ...under('show'), ...under('list')];
  static override usage = Command.Usage({
    description: 'show what this machine can run: probed ∪ declared per axis, and the deny list',
    details: `
      The axes are harnesses, reachable_mcp, skills and plugins. Each item says where it came from: \`declared\` (\`spor capabilities add|set|allow-mcp\`) or \`probed by <prober>\` (the latest \`spor capabilities probe\`). When no probe is on record yet, this command probes first and records it.

      \`spor capabilities show <agent-id | me>\` (remote mode) reads what that agent published to the team server instead (\`me\`: the agent this machine dispatches as), with when it was published and last seen.

      \`--json\` prints exactly \`{"harnesses": [...], "reachable_mcp": [...], "skills": [...], "plugins": [...], "deny": [...]}\`, each a sorted array of strings. Aliases: \`spor caps\`, \`spor profiles\`; \`list\` is \`show\`.
    `,
    examples: [
      ['Show the map', '$0 capabilities'],
      ['As JSON', '$0 caps --json'],
    ],
  });
  agent = Option.String({name: 'agent-id | me', required: false});
  asJson = Option.Boolean('--json', false, {description: 'print {harnesses, reachable_mcp, skills, plugins, deny}'});

  async execute(): Promise<number> {
    if (this.agent !== undefined) return this.published(this.agent);
    const {view, probed} = await this.get(CAPABILITIES).view();
    if (probed)
      this.note(`no probe on record yet; probed this machine (${probed.length} probers, recorded as probe-ran)`);
    if (this.asJson) {
      this.json(view.capabilities);
      return 0;
    }
    for (const line of renderView(view)) this.out(line);
    return 0;
  }

  /** An agent's record on the team server. */
  private async published(which: string): Promise<number> {
    // `spor caps <typo>` lands here too: a word that is no agent is a usage error, not a server call.
    if (which !== 'me' && !which.startsWith('agent-'))
      throw new UsageError(`'${which}' is neither a capabilities command nor an agent id`, {
        code: 'E_USAGE',
        hint: 'spor capabilities [show [<agent-id> | me]|probe|check|publish|hosts|set|add|rm|deny|undeny|clear]',
      });
    const client = await this.get(REMOTE).required('published capabilities');
    const agent =
      which === 'me'
        ? String((await this.get(SETTINGS).get(AGENT_KEY)).value) || undefined
        : requireAgentId(which, 'the agent');
    if (agent === undefined)
      throw new RefusalError('this machine dispatches as no agent, so `me` names none', {
        code: 'E_NO_AGENT',
        hint: 'choose one with `spor agent use <agent-id>`, or give the agent id',
      });
    const record = await readPublished(client, agent);
    if (record === undefined)
      throw new RefusalError(`${agent} has published no capabilities to ${client.server}`, {
        code: 'E_NOT_PUBLISHED',
        hint: 'publish them from its machine with `spor capabilities publish`',
      });
    if (this.asJson) {
      this.json(record);
      return 0;
    }
    this.out(`${record.agent} on ${client.server}`);
    this.out(`  published ${record.published_at} by ${record.published_by}; last seen ${record.last_seen}`);
    for (const [axis, values] of Object.entries(record.capabilities))
      this.out(`  ${axis.padEnd(13)} ${(values as Array<string>).join(', ') || '(none)'}`);
    return 0;
  }
}
