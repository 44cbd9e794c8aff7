import {Command, Option} from 'clipanion';
import {SporCommand} from '../../../core/index.js';
import {renderProbe} from '../format.js';
import {CAPABILITIES} from '../api.js';
import {under} from './paths.js';

export class CapabilitiesProbeCommand extends SporCommand {
  static override paths = [...under('probe')];
  static override usage = Command.Usage({
    description: 'probe this machine now (event `probe-ran`), replacing the probe cache',
    details: `
      Every registered prober runs at once, each with the \`capabilities.probeTimeout\` deadline (default 5s). A prober that throws or outlives its deadline is reported as failed and never holds up the rest; the command still exits 0.

      \`--json\` prints \`{"results": [{"prober", "ok", "finding"?, "error"?, "duration_ms"}]}\`, the data of the recorded event.
    `,
    examples: [
      ['Re-probe', '$0 capabilities probe'],
      ['As JSON', '$0 caps probe --json'],
    ],
  });
  asJson = Option.Boolean('--json', false, {
    description: 'print {results: [{prober, ok, finding?, error?, duration_ms}]}',
  });

  async execute(): Promise<number> {
    const results = await this.get(CAPABILITIES).probe();
    if (this.asJson) {
      this.json({results});
      return 0;
    }
    for (const line of renderProbe(results)) this.out(line);
    return 0;
  }
}
