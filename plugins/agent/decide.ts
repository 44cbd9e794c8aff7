import {type EventDraft, RefusalError} from '../../core/index.js';
import {
  addEdge,
  addNode,
  checkId,
  deriveId,
  metaIn,
  nodesOfType,
  targetsOf,
  type GraphNode,
  type GraphSlice,
} from '../graph/api.js';
import type {AgentUsed} from './events.js';

/** What an agent node carries besides its label: who it acts for and how it is known. */
export interface AgentRow {
  id: string;
  label: string;
  owner?: string;
  /** The owner's name (its person node's title), when the owner is a node here. */
  ownerName?: string;
  status: string;
  identity?: string;
  pubkey?: string;
}

const ownerOf = (s: GraphSlice, id: string): string | undefined => targetsOf(s, id, 'owned-by')[0];

export const agentsIn = (s: GraphSlice): Array<AgentRow> =>
  nodesOfType(s, 'agent').map((n) => {
    const owner = ownerOf(s, n.id);
    const ownerName = owner === undefined ? undefined : metaIn(s, owner)?.title;
    return {
      id: n.id,
      label: n.title,
      owner,
      ...(ownerName ? {ownerName} : {}),
      status: n.status ?? 'active',
      ...(n.identity ? {identity: n.identity} : {}),
      ...(n.pubkey ? {pubkey: n.pubkey} : {}),
    };
  });

/** The workload identity an agent runs under (SPIFFE-shaped; local mode issues nothing for it). */
export const identityOf = (owner: string, agentId: string): string =>
  `spiffe://spor.local/person/${owner.replace(/^person-/, '')}/agent/${agentId.replace(/^agent-/, '')}`;

// Without --owner the owner is the only person there is; anything else needs the user to say.
const pickOwner = (s: GraphSlice, owner: string | undefined): string => {
  if (owner !== undefined) {
    checkId(owner, 'owner id');
    const node = metaIn(s, owner);
    if (!node)
      throw new RefusalError(`no person '${owner}'`, {
        code: 'E_OWNER_UNKNOWN',
        hint: `create it with \`spor person create <name>\`, or pick one: ${
          nodesOfType(s, 'person')
            .map((p) => p.id)
            .join(', ') || '(none yet)'
        }`,
      });
    if (node.type !== 'person')
      throw new RefusalError(`'${owner}' is a ${node.type}, not a person`, {
        code: 'E_OWNER_UNKNOWN',
        hint: 'an agent is owned by a person node: --owner person-<name>',
      });
    return owner;
  }
  const people = nodesOfType(s, 'person').map((p) => p.id);
  if (people.length === 1) return people[0] as string;
  if (people.length === 0) {
    throw new RefusalError('no person to own the agent', {
      code: 'E_OWNER_MISSING',
      hint: 'create yourself first: `spor person create "<your name>"`, then run this again',
    });
  }
  throw new RefusalError(`${people.length} people could own the agent`, {
    code: 'E_OWNER_AMBIGUOUS',
    hint: `say which with --owner: ${people.join(', ')}`,
  });
};

/** `agent-<kebab label>` with an `owned-by` edge, in one append; duplicates refused. */
export const createAgent = (
  input: {label: string; owner?: string; pubkey?: string; created: string},
  s: GraphSlice,
): Array<EventDraft> => {
  const id = deriveId('agent', input.label, 'give a label with letters or digits, e.g. "ci-bot"');
  checkId(id);
  const taken = metaIn(s, id);
  if (taken) {
    throw new RefusalError(`${taken.type === 'agent' ? 'agent' : `a ${taken.type} node`} '${id}' already exists`, {
      code: 'E_NODE_TAKEN',
      hint:
        taken.type === 'agent'
          ? `choose another label, or dispatch as it: spor agent use ${id}`
          : 'choose another label',
    });
  }
  const owner = pickOwner(s, input.owner);
  const node: GraphNode = {
    id,
    type: 'agent',
    title: input.label.trim(),
    created: input.created,
    status: 'active',
    identity: identityOf(owner, id),
    ...(input.pubkey ? {pubkey: input.pubkey} : {}),
  };
  const added = addNode(node, s);
  // The edge is decided against the slice as it will be once the node exists.
  return [...added, ...addEdge({from: id, type: 'owned-by', to: owner}, s, [node])];
};

/**
 * An agent named by id or label. A label shared by several agents resolves to the caller's (the
 * agent owned by `caller`) when that is unique; otherwise the candidates are listed.
 */
export const resolveAgent = (ref: string, s: GraphSlice, caller?: string): AgentRow => {
  const agents = agentsIn(s);
  const byId = agents.find((a) => a.id === ref);
  if (byId) return byId;
  const node = metaIn(s, ref);
  if (node)
    throw new RefusalError(`'${ref}' is a ${node.type}, not an agent`, {
      code: 'E_AGENT_UNKNOWN',
      hint: 'list agents with `spor agent list`',
    });
  const wanted = ref.trim().toLowerCase();
  const matches = agents.filter((a) => a.label.toLowerCase() === wanted || a.id === `agent-${wanted}`);
  const mine = caller === undefined ? [] : matches.filter((a) => a.owner === caller);
  if (matches.length === 1) return matches[0] as AgentRow;
  if (mine.length === 1) return mine[0] as AgentRow;
  if (matches.length === 0) {
    throw new RefusalError(`no agent '${ref}'`, {
      code: 'E_AGENT_UNKNOWN',
      hint:
        agents.length > 0
          ? `pick one of: ${agents.map((a) => a.id).join(', ')}`
          : 'create one with `spor agent create <label>`',
    });
  }
  throw new RefusalError(`agent label '${ref}' is ambiguous`, {
    code: 'E_AGENT_AMBIGUOUS',
    hint: `use an id: ${matches.map((a) => `${a.id} (owner ${a.owner ?? 'none'})`).join(', ')}`,
  });
};

/** Records the agent this machine dispatches as; the same choice again writes nothing. */
export const useAgent = (agent: string | null, current: string | undefined): Array<EventDraft<AgentUsed>> =>
  (current ?? null) === agent ? [] : [{type: 'agent-used', data: {agent}}];

/** The caller, for resolving labels: the only person node, when there is exactly one. */
export const callerIn = (s: GraphSlice): string | undefined => {
  const people = nodesOfType(s, 'person');
  return people.length === 1 ? people[0]?.id : undefined;
};
