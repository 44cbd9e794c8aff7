import {Command, Option} from 'clipanion';
import {SporCommand, UsageError} from '../../../core/index.js';
import {REMOTE, requireAgentId} from '../../remote/api.js';
import {listAgentTokens, mintStandingToken, revokeAgentToken} from '../remote.js';

export class AgentTokenCommand extends SporCommand {
  static override paths = [['agent', 'token']];
  static override usage = Command.Usage({
    description: "issue, list or revoke an agent's standing tokens on the team server (remote mode only)",
    details: `
      \`spor agent token <agent-id>\` mints a standing agent token (the durable SPOR_TOKEN a headless agent runs under) and prints it once, on stdout; only its SHA-256 is kept by the server. \`--expires\` is \`<N>d\` or an ISO date (default and cap: one year). \`list\` shows the agent's standing tokens (never their values); \`revoke <prefix>\` revokes one by its hash prefix. A dispatch mints its own short per-run token; these are the long-lived ones. In local mode (no team server) this is refused.
    `,
    examples: [
      ['Issue one', '$0 agent token agent-ci-bot --label ci'],
      ['List', '$0 agent token agent-ci-bot list'],
      ['Revoke', '$0 agent token agent-ci-bot revoke 3f2a9c01'],
    ],
  });
  agent = Option.String({name: 'agent-id'});
  rest = Option.Rest({name: 'list | revoke <prefix>'});
  label = Option.String('--label', {description: 'a note shown in the listing (issuing)'});
  expires = Option.String('--expires', {description: '<N>d or an ISO date (issuing; default and cap one year)'});
  asJson = Option.Boolean('--json', false, {description: "print the server's answer as JSON"});

  async execute(): Promise<number> {
    const agent = requireAgentId(this.agent, 'the agent');
    const [verb, ...args] = this.rest;
    if (verb !== undefined && verb !== 'list' && verb !== 'revoke')
      throw new UsageError(`unknown action '${verb}'`, {
        code: 'E_USAGE',
        hint: 'spor agent token <agent-id> [list | revoke <prefix>]',
      });
    if ((verb === 'revoke' && args.length !== 1) || (verb !== 'revoke' && args.length > 0))
      throw new UsageError(verb === 'revoke' ? 'which token? give its hash prefix' : `unexpected '${args.join(' ')}'`, {
        code: 'E_USAGE',
        hint: 'spor agent token <agent-id> [list | revoke <prefix>]',
      });
    const client = await this.get(REMOTE).required('agent tokens');
    if (verb === 'list') {
      const tokens = await listAgentTokens(client, agent);
      if (this.asJson) this.json(tokens);
      else if (tokens.length === 0) this.out(`${agent} has no standing tokens`);
      else
        for (const t of tokens)
          this.out(
            `${t.hash_prefix}  ${t.expired ? 'expired' : `expires ${t.expires ?? 'never'}`}  last used ${t.last_used ?? 'never'}${t.label ? `  ${t.label}` : ''}`,
          );
      return 0;
    }
    if (verb === 'revoke') {
      const r = await revokeAgentToken(client, agent, args[0] as string);
      if (this.asJson) this.json(r);
      else this.out(`revoked ${agent}'s token ${r.hash_prefix}`);
      return 0;
    }
    const minted = await mintStandingToken(client, agent, {
      ...(this.label ? {label: this.label} : {}),
      ...(this.expires ? {expires: this.expires} : {}),
    });
    if (this.asJson) this.json(minted);
    else {
      this.out(minted.token);
      this.note(
        `a standing token for ${agent} (${minted.hash_prefix}, expires ${minted.expires}); shown once: keep it somewhere safe`,
      );
    }
    return 0;
  }
}
