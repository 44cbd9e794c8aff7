import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, SETTINGS} from '../../../core/index.js';
import {AGENT_KEY} from '../../agent/api.js';
import {REMOTE, requireAgentId} from '../../remote/api.js';
import {publishCapabilities} from '../remote.js';
import {CAPABILITIES} from '../api.js';
import {under} from './paths.js';

export class CapabilitiesPublishCommand extends SporCommand {
  static override paths = [...under('publish')];
  static override usage = Command.Usage({
    description: "publish this machine's capabilities to the team server's fleet, as an agent (remote mode)",
    details: `
      Sends the effective map (\`spor capabilities --json\`) for the agent this machine dispatches as (\`spor agent use\`), or \`--agent <agent-id>\`. The server keeps it beside the agent and answers \`spor capabilities hosts <profile>\` from it; \`spor dispatch\` publishes again by itself when the record is stale. Remote mode only.
    `,
    examples: [
      ['Publish as the current agent', '$0 capabilities publish'],
      ['As another agent of yours', '$0 capabilities publish --agent agent-ci-bot'],
    ],
  });
  agent = Option.String('--agent', {description: 'the agent to publish as (default: `agent.current`)'});
  asJson = Option.Boolean('--json', false, {description: "print the server's record as JSON"});

  async execute(): Promise<number> {
    const client = await this.get(REMOTE).required('published capabilities');
    const agent = this.agent ?? (String((await this.get(SETTINGS).get(AGENT_KEY)).value) || undefined);
    if (agent === undefined)
      throw new RefusalError('publish as which agent? this machine dispatches as none', {
        code: 'E_NO_AGENT',
        hint: 'choose one with `spor agent use <agent-id>`, or pass --agent <agent-id>',
      });
    const id = requireAgentId(agent, this.agent ? '--agent' : 'agent.current');
    const record = await publishCapabilities(client, id, await this.get(CAPABILITIES).effective());
    if (this.asJson) this.json(record);
    else
      this.out(
        `published for ${id} on ${client.server}${record.changed === false ? ' (unchanged; last seen refreshed)' : ''}: ${record.capabilities.harnesses.join(', ') || 'no harness'}`,
      );
    return 0;
  }
}
