import {existsSync} from 'node:fs';
import {Command, Option} from 'clipanion';
import {SporCommand, HOST} from '../../../core/index.js';
import {commandLine, timeoutLabel} from '../format.js';

export class HooksListCommand extends SporCommand {
  static override paths = [['hooks'], ['hooks', 'list']];
  static override usage = Command.Usage({
    description: "list this machine's hook scripts in the order they run",
    details: 'A `timeout_ms` of null means the hook follows the `hooks.timeout` setting.',
    examples: [['As JSON', '$0 hooks list --json']],
  });
  asJson = Option.Boolean('--json', false, {description: 'print [{"id", "event", "path", "args", "timeout_ms"}]'});

  async execute(): Promise<number> {
    const {hooks} = await this.get(HOST).read(['hooks']);
    if (this.asJson) {
      this.json(hooks.hooks);
      return 0;
    }
    if (hooks.hooks.length === 0) {
      this.out('no hooks yet; add one with `spor hooks add <event-type|*> <executable> [-- args...]`');
      return 0;
    }
    const idWidth = Math.max(...hooks.hooks.map((h) => h.id.length));
    const eventWidth = Math.max(...hooks.hooks.map((h) => h.event.length));
    for (const h of hooks.hooks) {
      const missing = existsSync(h.path) ? '' : '  (missing)';
      this.out(
        `${h.id.padEnd(idWidth)}  ${h.event.padEnd(eventWidth)}  ${commandLine(h)}  (timeout ${timeoutLabel(h)})${missing}`,
      );
    }
    return 0;
  }
}
