import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, checkRef} from '../../../core/index.js';

export class AgentTokenCommand extends SporCommand {
  static override paths = [['agent', 'token']];
  static override usage = Command.Usage({
    description: "issue, list or revoke an agent's tokens for a team server (remote mode only)",
    details: 'Tokens are issued by `spor serve`; in local mode (no `SPOR_SERVER`) there is nothing to issue them.',
    examples: [
      ['Issue one', '$0 agent token agent-ci-bot'],
      ['List', '$0 agent token agent-ci-bot list'],
      ['Revoke', '$0 agent token agent-ci-bot revoke 3f2a'],
    ],
  });
  agent = Option.String({name: 'agent-id'});
  rest = Option.Rest({name: 'list | revoke <prefix>'});

  async execute(): Promise<number> {
    checkRef(this.agent, 'agent id');
    throw new RefusalError(`agent tokens need a team server; this machine is in local mode`, {
      code: 'E_LOCAL_MODE',
      hint: 'point spor at one with SPOR_SERVER=<url> (and a token), then run this again',
    });
  }
}
