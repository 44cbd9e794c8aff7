import {Command, Option} from 'clipanion';
import {SporCommand, HOST, checkRef} from '../../../core/index.js';
import {AXES, parseAxis} from '../axes.js';
import {declareAxis} from '../decide.js';
import {editAxis, listed} from './axisEdit.js';
import {under} from './paths.js';

export class CapabilitiesSetCommand extends SporCommand {
  static override paths = [...under('set')];
  static override usage = Command.Usage({
    description: 'replace what this machine declares on one axis (event `capabilities-declared`)',
    details: `The axis is one of ${AXES.join(', ')}. With no values the axis's declarations are emptied; probed items stay. The same set in another order writes nothing.`,
    examples: [
      ['Declare two skills', '$0 capabilities set skills brainstorming tdd'],
      ['Declare none', '$0 capabilities set skills'],
    ],
  });
  axis = Option.String({name: 'axis'});
  values = Option.Rest({name: 'value'});

  async execute(): Promise<number> {
    checkRef(this.axis, 'axis');
    const axis = parseAxis(this.axis);
    const edit = await editAxis(this.get(HOST), axis, (s) => declareAxis(s, axis, this.values));
    this.out(
      edit.written
        ? `${axis} declared: ${listed(edit.after)} (was: ${listed(edit.before)})`
        : `${axis} already declared as ${listed(edit.before)}; nothing written`,
    );
    return 0;
  }
}
