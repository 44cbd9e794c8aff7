import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';
import type {Capabilities} from '../capabilities/api.js';
import type {Attribution, TeamNode, TokenRecord} from './store/records.js';

/** How a node came to be written (create or update, or the one-scalar and edge operations). */
export type NodeOp =
  'created' | 'updated' | 'edge-added' | 'edge-removed' | 'status' | 'priority' | 'readiness' | 'claimed' | 'released';

/** A node of the team graph was written: the whole new document, its revision and who wrote it. */
export type TeamNodeWritten = SporEvent<
  'team-node-written',
  1,
  {node: TeamNode; revision: string; op: NodeOp; by: Attribution}
>;
/** A personal access token was issued. Only its SHA-256 is kept: the plaintext was shown once. */
export type TeamTokenIssued = SporEvent<'team-token-issued', 1, Omit<TokenRecord, 'revoked' | 'last_used' | 'version'>>;
export type TeamTokenRevoked = SporEvent<'team-token-revoked', 1, {hash: string; at: string; by: string}>;
/** A session-deferred agent token was bound to its run's session (write-once). */
export type TeamTokenBound = SporEvent<'team-token-bound', 1, {hash: string; session: string; at: string}>;
/** A token was used (recorded at most every few minutes per token). */
export type TeamTokenUsed = SporEvent<'team-token-used', 1, {hash: string; at: string}>;
export type TeamLeaseClaimed = SporEvent<
  'team-lease-claimed',
  1,
  {
    node: string;
    fence: number;
    person: string;
    agent?: string;
    session?: string;
    claimed_at: string;
    expires_at: string;
  }
>;
export type TeamLeaseRenewed = SporEvent<
  'team-lease-renewed',
  1,
  {node: string; expires_at: string; at: string; session?: string; extended?: boolean}
>;
export type TeamLeaseReleased = SporEvent<'team-lease-released', 1, {node: string; at: string; by: string}>;
export type TeamCapabilitiesPublished = SporEvent<
  'team-capabilities-published',
  1,
  {
    agent: string;
    capabilities: Capabilities;
    published_at: string;
    last_seen: string;
    published_by: string;
    session?: string;
  }
>;
export type TeamAgentSeen = SporEvent<'team-agent-seen', 1, {agent: string; at: string}>;

export type TeamEvent =
  | TeamNodeWritten
  | TeamTokenIssued
  | TeamTokenRevoked
  | TeamTokenBound
  | TeamTokenUsed
  | TeamLeaseClaimed
  | TeamLeaseRenewed
  | TeamLeaseReleased
  | TeamCapabilitiesPublished
  | TeamAgentSeen;

/** A team event to append: its type and data (the store adds the envelope). */
export type TeamDraft = {[E in TeamEvent as E['type']]: {type: E['type']; data: E['data']}}[TeamEvent['type']];

declare module '../../core/events.js' {
  interface SporEventMap {
    'team-node-written': TeamNodeWritten;
    'team-token-issued': TeamTokenIssued;
    'team-token-revoked': TeamTokenRevoked;
    'team-token-bound': TeamTokenBound;
    'team-token-used': TeamTokenUsed;
    'team-lease-claimed': TeamLeaseClaimed;
    'team-lease-renewed': TeamLeaseRenewed;
    'team-lease-released': TeamLeaseReleased;
    'team-capabilities-published': TeamCapabilitiesPublished;
    'team-agent-seen': TeamAgentSeen;
  }
}

export const TEAM_EVENT_TYPES: ReadonlyArray<TeamEvent['type']> = [
  'team-node-written',
  'team-token-issued',
  'team-token-revoked',
  'team-token-bound',
  'team-token-used',
  'team-lease-claimed',
  'team-lease-renewed',
  'team-lease-released',
  'team-capabilities-published',
  'team-agent-seen',
];

/**
 * The stream an event belongs to: one per node, token, lease and published machine. Appends state
 * the version of their stream they decided against (optimistic concurrency per stream).
 */
export const streamOf = (draft: TeamDraft): string => {
  switch (draft.type) {
    case 'team-node-written':
      return `node/${draft.data.node.id}`;
    case 'team-token-issued':
    case 'team-token-revoked':
    case 'team-token-bound':
    case 'team-token-used':
      return `token/${draft.data.hash}`;
    case 'team-lease-claimed':
    case 'team-lease-renewed':
    case 'team-lease-released':
      return `lease/${draft.data.node}`;
    case 'team-capabilities-published':
    case 'team-agent-seen':
      return `caps/${draft.data.agent}`;
  }
};

const str = t.isString();
const opt = <T>(v: t.StrictValidator<unknown, T>) => t.isOptional(v);
const strings = t.isArray(str);
const isCaps = t.isObject({
  harnesses: strings,
  reachable_mcp: strings,
  skills: strings,
  plugins: strings,
  deny: strings,
});
const isBy = t.isObject({author: str, via: t.isEnum(['rest', 'dispatch']), agent: opt(str), session: opt(str)});
const HASH = /^[0-9a-f]{64}$/;
const isHash = t.cascade(str, t.matchesRegExp(HASH));

export const teamEvents = defineEvents<TeamEvent>({
  'team-node-written': {
    v: 1,
    data: t.isObject({
      node: t.isObject(
        {id: str, type: str, title: str, created: str, updated: str, edges: t.isArray(t.isRecord(t.isUnknown()))},
        {extra: t.isRecord(t.isUnknown())},
      ),
      revision: str,
      op: str,
      by: isBy,
    }) as never,
    hookEnv: (d) => ({SPOR_NODE_ID: d.node.id, SPOR_NODE_TYPE: d.node.type}),
    summary: (d) => `${d.node.id} ${d.op} by ${d.by.agent ? `${d.by.agent} for ` : ''}${d.by.author}`,
  },
  'team-token-issued': {
    v: 1,
    data: t.isObject({
      hash: isHash,
      kind: t.isEnum(['person', 'agent']),
      person: opt(str),
      agent: opt(str),
      standing: t.isBoolean(),
      session: t.isNullable(str),
      label: opt(str),
      created: str,
      expires: str,
      issued_by: str,
    }) as never,
    summary: (d) => `${d.hash.slice(0, 12)} for ${d.agent ?? d.person ?? '?'} until ${d.expires}`,
  },
  'team-token-revoked': {
    v: 1,
    data: t.isObject({hash: isHash, at: str, by: str}),
    summary: (d) => `${d.hash.slice(0, 12)} by ${d.by}`,
  },
  'team-token-bound': {
    v: 1,
    data: t.isObject({hash: isHash, session: str, at: str}),
    summary: (d) => `${d.hash.slice(0, 12)} to session ${d.session}`,
  },
  'team-token-used': {v: 1, data: t.isObject({hash: isHash, at: str})},
  'team-lease-claimed': {
    v: 1,
    data: t.isObject({
      node: str,
      fence: t.isNumber(),
      person: str,
      agent: opt(str),
      session: opt(str),
      claimed_at: str,
      expires_at: str,
    }) as never,
    hookEnv: (d) => ({SPOR_NODE_ID: d.node}),
    summary: (d) =>
      `${d.node} by ${d.agent ? `${d.agent} for ` : ''}${d.person} until ${d.expires_at} (fence ${d.fence})`,
  },
  'team-lease-renewed': {
    v: 1,
    data: t.isObject({node: str, expires_at: str, at: str, session: opt(str), extended: opt(t.isBoolean())}) as never,
    hookEnv: (d) => ({SPOR_NODE_ID: d.node}),
    summary: (d) => `${d.node} until ${d.expires_at}`,
  },
  'team-lease-released': {
    v: 1,
    data: t.isObject({node: str, at: str, by: str}),
    hookEnv: (d) => ({SPOR_NODE_ID: d.node}),
    summary: (d) => `${d.node} by ${d.by}`,
  },
  'team-capabilities-published': {
    v: 1,
    data: t.isObject({
      agent: str,
      capabilities: isCaps,
      published_at: str,
      last_seen: str,
      published_by: str,
      session: opt(str),
    }) as never,
    summary: (d) => `${d.agent} by ${d.published_by}`,
  },
  'team-agent-seen': {v: 1, data: t.isObject({agent: str, at: str}), summary: (d) => `${d.agent} at ${d.at}`},
});
