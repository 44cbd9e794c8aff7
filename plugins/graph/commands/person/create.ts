import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, CLOCK, HOST} from '../../../../core/index.js';
import {addNode} from '../../model/decide.js';
import {checkId, deriveId} from '../../model/ids.js';

export class PersonCreateCommand extends SporCommand {
  static override paths = [['person', 'create']];
  static override usage = Command.Usage({
    description: 'add a person node `person-<kebab name>` (event `node-added`) and print its id',
    examples: [['Add yourself', '$0 person create "Ada Lovelace" --email ada@example.com']],
  });
  name = Option.String({name: 'name'});
  email = Option.String('--email', {description: 'their e-mail address'});

  async execute(): Promise<number> {
    const name = this.name.trim();
    const id = deriveId('person', name, 'give a name with letters or digits, e.g. "Ada Lovelace"');
    checkId(id);
    if (this.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(this.email)) {
      throw new UsageError(`invalid e-mail address '${this.email}'`, {code: 'E_EMAIL', hint: 'give it as name@domain'});
    }
    const node = {
      id,
      type: 'person',
      title: name,
      created: this.get(CLOCK).now().toISOString(),
      ...(this.email ? {email: this.email} : {}),
    };
    await this.get(HOST).handle(['graph'], ({graph}) => addNode(node, graph));
    this.out(id);
    return 0;
  }
}
