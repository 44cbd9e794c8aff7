import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, HOST, checkRef} from '../../../core/index.js';
import {REMOTE} from '../../remote/api.js';
import {callerIn, resolveAgent, useAgent} from '../decide.js';
import {listRemoteAgents, resolveRemoteAgent} from '../remote.js';

export class AgentUseCommand extends SporCommand {
  static override paths = [['agent', 'use']];
  static override usage = Command.Usage({
    description: 'dispatch from this machine as an agent (sets `agent.current`, event `agent-used`)',
    details:
      'A label resolves to your agent when it is unique (in remote mode, among your agents on the team server); `--clear` returns to person-scoped dispatch.',
    examples: [
      ['By label', '$0 agent use ci-bot'],
      ['Back to person-scoped dispatch', '$0 agent use --clear'],
    ],
  });
  agent = Option.String({name: 'agent-id | label', required: false});
  clear = Option.Boolean('--clear', false, {description: 'stop dispatching as an agent'});

  async execute(): Promise<number> {
    if (this.agent !== undefined) checkRef(this.agent, 'agent');
    if (this.clear === (this.agent !== undefined)) {
      throw new UsageError(this.clear ? 'give either an agent or --clear, not both' : 'which agent?', {
        code: 'E_USAGE',
        hint: 'spor agent use <agent-id | label>, or spor agent use --clear',
      });
    }
    let chosen: string | null = null;
    // Remote mode: the agent is one of yours on the team server (a label or agent-<label> resolves to its id).
    const client = this.agent === undefined ? undefined : await this.get(REMOTE).client();
    const remoteId =
      client === undefined || this.agent === undefined
        ? undefined
        : resolveRemoteAgent(this.agent, await listRemoteAgents(client), client.server);
    const events = await this.get(HOST).handle(['graph', 'agent'], ({graph, agent}) => {
      chosen = this.agent === undefined ? null : (remoteId ?? resolveAgent(this.agent, graph, callerIn(graph)).id);
      return useAgent(chosen, agent.current || undefined);
    });
    const now = chosen === null ? 'person-scoped dispatch' : `dispatching as ${chosen as string}`;
    this.out(events.length === 0 ? `already ${now}` : now);
    return 0;
  }
}
