import {Command, Option} from 'clipanion';
import {UsageError} from '../../../core/index.js';
import {LeaseCommand} from './lease.js';

const UNITS: Record<string, number> = {m: 60_000, h: 3_600_000, d: 86_400_000};

/** `45m`, `2h`, `1d` (a human duration; minutes at least) → milliseconds. */
const lengthOf = (text: string): number | undefined => {
  const m = /^(\d{1,6})(m|h|d)$/.exec(text.trim());
  return m ? Number(m[1]) * (UNITS[m[2] as string] as number) : undefined;
};

export class ExtendCommand extends LeaseCommand {
  static override paths = [['extend']];
  static override usage = Command.Usage({
    description: 'stretch your live lease on a node for a known long gap (remote mode)',
    details:
      "The server caps it at its `claim_ttl_max` policy (and says so) and never shortens a lease. A lapsed lease or someone else's is refused naming the holder. In local mode this says claims are a team feature and exits 0.",
    examples: [['Two more hours', '$0 extend task-retry-failed-e-mails 2h']],
  });
  by = Option.String({name: '45m | 2h | 1d'});

  execute(): Promise<number> {
    const ms = lengthOf(this.by);
    if (ms === undefined)
      throw new UsageError(`'${this.by}' is not a length of time`, {
        code: 'E_DURATION',
        hint: 'give minutes, hours or days: 45m, 2h, 1d',
      });
    return this.lease('extend', {ms});
  }
}
