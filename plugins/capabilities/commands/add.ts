import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {AXES, parseAxis} from '../axes.js';
import {addToAxis} from '../decide.js';
import {editAxis, listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesAddCommand extends SporCommand {
  static override paths = [...under('add')];
  static override usage = Command.Usage({
    description: 'declare more items on one axis (event `capabilities-declared`)',
    details: `The axis is one of ${AXES.join(', ')}. Items already declared change nothing; if none is new, nothing is written.`,
    examples: [
      ['Declare a harness probing cannot see', '$0 capabilities add harnesses codex'],
      ['Declare plugins', '$0 capabilities add plugins superpowers linear-tools'],
    ],
  });
  axis = Option.String({name: 'axis'});
  values = Option.Rest({name: 'value', required: 1});

  async execute(): Promise<number> {
    checkRef(this.axis, 'axis');
    const axis = parseAxis(this.axis);
    const edit = await editAxis(this.get(HOST), axis, (s) => addToAxis(s, axis, this.values));
    const already = this.values.filter((v) => edit.before.includes(v));
    if (!edit.written) {
      this.out(`already declared on ${axis}: ${listed([...new Set(already)])}; nothing written`);
      return 0;
    }
    const added = edit.after.filter((v) => !edit.before.includes(v));
    this.out(`declared on ${axis}: ${listed(added)} (now: ${listed(edit.after)})`);
    if (already.length > 0) this.out(`already declared: ${listed([...new Set(already)])}`);
    return 0;
  }
}
