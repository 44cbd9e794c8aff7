import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {addToAxis} from '../decide.js';
import {editAxis, listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesAllowMcpCommand extends SporCommand {
  static override paths = [...under('allow-mcp')];
  static override usage = Command.Usage({
    description:
      'declare MCP servers reachable from this machine (= `add reachable_mcp`; event `capabilities-declared`)',
    examples: [['Allow two servers', '$0 capabilities allow-mcp linear github']],
  });
  names = Option.Rest({name: 'name', required: 1});

  async execute(): Promise<number> {
    const edit = await editAxis(this.get(HOST), 'reachable_mcp', (s) => addToAxis(s, 'reachable_mcp', this.names));
    if (!edit.written) {
      this.out(`already reachable: ${listed([...new Set(this.names)])}; nothing written`);
      return 0;
    }
    this.out(
      `reachable MCP servers declared: ${listed(edit.after.filter((v) => !edit.before.includes(v)))} (now: ${listed(edit.after)})`,
    );
    return 0;
  }
}
