import {Command, Option} from 'clipanion';
import {SporCommand, CLOCK, HOST} from '../../../core/index.js';
import {REMOTE} from '../../remote/api.js';
import {createAgent} from '../decide.js';
import {createRemoteAgent} from '../remote.js';

export class AgentCreateCommand extends SporCommand {
  static override paths = [['agent', 'create']];
  static override usage = Command.Usage({
    description: 'add an agent node `agent-<kebab label>` owned by a person (events `node-added`, `edge-added`)',
    details: `
      In remote mode (\`spor login\`, or SPOR_SERVER and SPOR_TOKEN) the agent is created on the team server, owned by you (\`--owner\` is an admin's door to create one for someone else). Locally, without \`--owner\` the owner is the only person node; with none or several, say which. The agent gets the workload identity \`spiffe://spor.local/person/<owner>/agent/<label>\`; \`--pubkey\` records a public-key fingerprint (not enforced in local mode).
    `,
    examples: [
      ['An agent for CI work', '$0 agent create ci-bot'],
      ['Owned by someone else', '$0 agent create reviewer --owner person-ada --pubkey SHA256:abc…'],
    ],
  });
  label = Option.String({name: 'label'});
  owner = Option.String('--owner', {description: 'the person node that owns it (default: the only person)'});
  pubkey = Option.String('--pubkey', {description: 'a public-key fingerprint to record with it'});

  async execute(): Promise<number> {
    const client = await this.get(REMOTE).client();
    if (client !== undefined) {
      const a = await createRemoteAgent(client, {
        label: this.label,
        ...(this.owner ? {owner: this.owner} : {}),
        ...(this.pubkey ? {pubkey: this.pubkey} : {}),
      });
      this.out(`${a.id}  owned by ${a.owner ?? '-'}  ${a.spiffe ?? ''}  (on ${client.server})`);
      return 0;
    }
    const created = this.get(CLOCK).now().toISOString();
    const events = await this.get(HOST).handle(['graph'], ({graph}) =>
      createAgent({label: this.label, owner: this.owner, pubkey: this.pubkey, created}, graph),
    );
    const node = events[0]?.data as {node: {id: string; identity: string}};
    const owner = (events[1]?.data as {edge: {to: string}}).edge.to;
    this.out(`${node.node.id}  owned by ${owner}  ${node.node.identity}`);
    return 0;
  }
}
