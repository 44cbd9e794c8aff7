import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {removeHook} from '../decide.js';
import {commandLine} from '../format.js';
import type {HookEntry} from '../projection.js';

export class HooksRmCommand extends SporCommand {
  static override paths = [['hooks', 'rm']];
  static override usage = Command.Usage({
    description: 'stop running a hook (event `hook-removed`); the executable is untouched',
    examples: [['Remove hook h2', '$0 hooks rm h2']],
  });
  id = Option.String({name: 'id'});

  async execute(): Promise<number> {
    checkRef(this.id, 'hook id');
    let hook: HookEntry | undefined;
    const events = await this.get(HOST).handle(['hooks'], ({hooks}) => {
      hook = hooks.hooks.find((h) => h.id === this.id);
      return removeHook({id: this.id}, hooks);
    });
    if (events.length === 0 || !hook) this.out(`no hook '${this.id}'; nothing to remove (see \`spor hooks list\`)`);
    else this.out(`removed ${hook.id} (${hook.event} → ${commandLine(hook)})`);
    return 0;
  }
}
