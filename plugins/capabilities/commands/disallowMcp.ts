import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {removeFromAxis} from '../decide.js';
import {editAxis, listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesDisallowMcpCommand extends SporCommand {
  static override paths = [...under('disallow-mcp')];
  static override usage = Command.Usage({
    description:
      'withdraw declared MCP servers (= `rm reachable_mcp`; event `capabilities-declared`), the twin of allow-mcp',
    examples: [['No longer reachable', '$0 capabilities disallow-mcp linear']],
  });
  names = Option.Rest({name: 'name', required: 1});

  async execute(): Promise<number> {
    const edit = await editAxis(this.get(HOST), 'reachable_mcp', (s) => removeFromAxis(s, 'reachable_mcp', this.names));
    if (!edit.written) {
      this.out(`not declared reachable: ${listed([...new Set(this.names)])}; nothing written`);
      return 0;
    }
    this.out(
      `reachable MCP servers withdrawn: ${listed(edit.before.filter((v) => !edit.after.includes(v)))} (now: ${listed(edit.after)})`,
    );
    return 0;
  }
}
