import {Command, Option} from 'clipanion';
import {SporCommand, checkRef} from '../../../core/index.js';
import {CAPABILITIES} from '../api.js';
import {under} from './paths.js';

export class CapabilitiesCheckCommand extends SporCommand {
  static override paths = [...under('check')];
  static override usage = Command.Usage({
    description: 'can this machine run a profile? exit 0 when it can, 1 with one reason per missing item',
    details: `
      A machine satisfies a profile when it has the profile's harness, every MCP server, skill and plugin the profile lists, and does not deny it. An unknown profile is a refusal (exit 1).

      \`--json\` prints \`{"profile": "<id>", "ok": true|false, "reasons": ["..."]}\` (the exit code is the same).
    `,
    examples: [['Check a profile', '$0 capabilities check profile-claude-linear']],
  });
  profile = Option.String({name: 'profile-id'});
  asJson = Option.Boolean('--json', false, {description: 'print {profile, ok, reasons}'});

  async execute(): Promise<number> {
    checkRef(this.profile, 'profile id');
    const verdict = await this.get(CAPABILITIES).check(this.profile);
    if (this.asJson) {
      this.json({profile: this.profile, ok: verdict.ok, reasons: verdict.reasons});
    } else if (verdict.ok) {
      this.out(`${this.profile}: this machine satisfies it`);
    } else {
      this.out(`${this.profile}: this machine does not satisfy it`);
      for (const r of verdict.reasons) this.out(`  - ${r}`);
    }
    return verdict.ok ? 0 : 1;
  }
}
