import {RefusalError} from '../../core/index.js';
import type {RemoteClient, AgentBody, AgentsBody, TokenSummary, StandingTokenBody} from '../remote/api.js';

// The agent commands in remote mode: the team server's agents and their standing tokens.

const agentPath = (id: string): string => `/v1/agents/${encodeURIComponent(id)}`;

/** `POST /v1/agents` (owned by the caller), or the admin door `POST /v1/admin/agents` for `--owner`. */
export const createRemoteAgent = (
  client: RemoteClient,
  input: {label: string; owner?: string; pubkey?: string},
): Promise<AgentBody> =>
  input.owner === undefined
    ? client.request<AgentBody>('POST', '/v1/agents', {
        body: {label: input.label, ...(input.pubkey ? {pubkey: input.pubkey} : {})},
      })
    : client.request<AgentBody>('POST', '/v1/admin/agents', {
        body: {label: input.label, owner: input.owner, ...(input.pubkey ? {pubkey: input.pubkey} : {})},
      });

export const listRemoteAgents = async (client: RemoteClient): Promise<Array<AgentBody>> =>
  (await client.request<AgentsBody>('GET', '/v1/agents')).agents;

/** A standing agent token: the plaintext comes back once. */
export const mintStandingToken = (
  client: RemoteClient,
  agent: string,
  opts: {label?: string; expires?: string},
): Promise<StandingTokenBody> =>
  client.request<StandingTokenBody>('POST', `${agentPath(agent)}/token`, {
    body: {
      standing: true,
      ...(opts.label ? {label: opts.label} : {}),
      ...(opts.expires ? {expires: opts.expires} : {}),
    },
  });

export const listAgentTokens = async (client: RemoteClient, agent: string): Promise<Array<TokenSummary>> =>
  (await client.request<{tokens: Array<TokenSummary>}>('GET', `${agentPath(agent)}/tokens`)).tokens;

export const revokeAgentToken = (
  client: RemoteClient,
  agent: string,
  prefix: string,
): Promise<{revoked: boolean; hash_prefix: string}> =>
  client.request('DELETE', `${agentPath(agent)}/tokens/${encodeURIComponent(prefix)}`);

/**
 * One of the caller's agents on the server by id, label or `agent-<label>` (the contract's
 * `spor agent use` normalization); none matching is a refusal with the did-you-mean hint.
 */
export const resolveRemoteAgent = (ref: string, agents: ReadonlyArray<AgentBody>, server: string): string => {
  const wanted = ref.trim().toLowerCase();
  const guess = wanted.startsWith('agent-') ? wanted : `agent-${wanted.replace(/[^a-z0-9]+/g, '-')}`;
  const hit =
    agents.find((a) => a.id === ref) ??
    agents.filter((a) => a.label.toLowerCase() === wanted).at(0) ??
    agents.find((a) => a.id === guess);
  if (hit) return hit.id;
  throw new RefusalError(`you own no agent '${ref}' on ${server}`, {
    code: 'E_AGENT_UNKNOWN',
    hint: `${agents.length > 0 ? `yours: ${agents.map((a) => a.id).join(', ')}; ` : ''}did you mean ${guess}? create it with \`spor agent create <label>\``,
  });
};
