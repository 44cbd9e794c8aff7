import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {AXES, parseAxis} from '../axes.js';
import {removeFromAxis} from '../decide.js';
import {editAxis, listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesRmCommand extends SporCommand {
  static override paths = [...under('rm'), ...under('remove')];
  static override usage = Command.Usage({
    description: 'withdraw declarations from one axis (event `capabilities-declared`)',
    details: `The axis is one of ${AXES.join(', ')}. Only declarations are removed: an item a prober found stays until a probe stops finding it (to opt out of a profile, use \`spor capabilities deny\`). Items not declared change nothing. Alias: \`spor capabilities remove\`.`,
    examples: [['Withdraw an MCP server', '$0 capabilities rm reachable_mcp linear']],
  });
  axis = Option.String({name: 'axis'});
  values = Option.Rest({name: 'value', required: 1});

  async execute(): Promise<number> {
    checkRef(this.axis, 'axis');
    const axis = parseAxis(this.axis);
    const edit = await editAxis(this.get(HOST), axis, (s) => removeFromAxis(s, axis, this.values));
    const notDeclared = [...new Set(this.values.filter((v) => !edit.before.includes(v)))];
    if (edit.written)
      this.out(
        `withdrew from ${axis}: ${listed(edit.before.filter((v) => !edit.after.includes(v)))} (now declared: ${listed(edit.after)})`,
      );
    if (notDeclared.length > 0) {
      const probed = notDeclared.filter((v) => edit.probed.has(v));
      this.out(`not declared on ${axis}: ${listed(notDeclared)}${edit.written ? '' : '; nothing written'}`);
      if (probed.length > 0)
        this.out(
          `${listed(probed)} ${probed.length === 1 ? 'is' : 'are'} probed, not declared: only declarations can be removed`,
        );
    }
    return 0;
  }
}
