import {Command, Option} from 'clipanion';
import {SporCommand, HOST, SETTINGS} from '../../../core/index.js';
import {AGENT_KEY} from '../api.js';
import {REMOTE} from '../../remote/api.js';
import {agentsIn} from '../decide.js';
import {listRemoteAgents} from '../remote.js';

export class AgentListCommand extends SporCommand {
  static override paths = [['agent', 'list'], ['agent']];
  static override usage = Command.Usage({
    description:
      'list agents with their owner and status (remote mode: yours on the team server); `*` marks the one this machine dispatches as',
    details:
      '`--json` prints `[{id, label, owner, owner_name, status, identity, pubkey, current}]` (owner, owner_name and pubkey are null when unset).',
    examples: [['As JSON', '$0 agent list --json']],
  });
  asJson = Option.Boolean('--json', false, {description: 'print the agents as JSON'});

  async execute(): Promise<number> {
    const current = String((await this.get(SETTINGS).get(AGENT_KEY)).value);
    const client = await this.get(REMOTE).client();
    const rows =
      client === undefined
        ? agentsIn((await this.get(HOST).read(['graph'])).graph)
        : (await listRemoteAgents(client)).map((a) => ({
            id: a.id,
            label: a.label,
            owner: a.owner ?? undefined,
            ownerName: undefined,
            status: a.status,
            identity: a.spiffe ?? undefined,
            pubkey: a.pubkey ?? undefined,
          }));
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (this.asJson) {
      this.json(
        rows.map((a) => ({
          id: a.id,
          label: a.label,
          owner: a.owner ?? null,
          owner_name: a.ownerName ?? null,
          status: a.status,
          identity: a.identity ?? null,
          pubkey: a.pubkey ?? null,
          current: a.id === current,
        })),
      );
      return 0;
    }
    if (rows.length === 0) {
      this.out('no agents yet; create one with `spor agent create <label>`');
      return 0;
    }
    const w = Math.max(...rows.map((r) => r.id.length));
    const ownerOf = (a: (typeof rows)[number]): string =>
      a.owner === undefined ? '-' : a.ownerName ? `${a.ownerName} (${a.owner})` : a.owner;
    const ow = Math.max(...rows.map((r) => ownerOf(r).length));
    for (const a of rows)
      this.out(`${a.id === current ? '*' : ' '} ${a.id.padEnd(w)}  ${ownerOf(a).padEnd(ow)}  ${a.status}`);
    return 0;
  }
}
