import {Command, Option} from 'clipanion';
import {SporCommand} from '../../../core/index.js';
import {renderView} from '../format.js';
import {CAPABILITIES} from '../api.js';
import {under} from './paths.js';

export class CapabilitiesShowCommand extends SporCommand {
  static override paths = [...under(), ...under('show'), ...under('list')];
  static override usage = Command.Usage({
    description: 'show what this machine can run: probed ∪ declared per axis, and the deny list',
    details: `
      The axes are harnesses, reachable_mcp, skills and plugins. Each item says where it came from: \`declared\` (\`spor capabilities add|set|allow-mcp\`) or \`probed by <prober>\` (the latest \`spor capabilities probe\`). When no probe is on record yet, this command probes first and records it.

      \`--json\` prints exactly \`{"harnesses": [...], "reachable_mcp": [...], "skills": [...], "plugins": [...], "deny": [...]}\`, each a sorted array of strings. Aliases: \`spor caps\`, \`spor profiles\`; \`list\` is \`show\`.
    `,
    examples: [
      ['Show the map', '$0 capabilities'],
      ['As JSON', '$0 caps --json'],
    ],
  });
  asJson = Option.Boolean('--json', false, {description: 'print {harnesses, reachable_mcp, skills, plugins, deny}'});

  async execute(): Promise<number> {
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
}
