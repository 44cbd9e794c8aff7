import type {Capabilities} from '../../capabilities/api.js';
import type {GraphNode} from '../../graph/api.js';

/** An outbound edge, as a node of the team graph carries it. */
export interface TeamEdge {
  type: string;
  to: string;
  attrs?: Record<string, string>;
}

/**
 * A node of the team graph: a graph node (fields and text), its outbound edges, and who wrote it
 * last (stamped by the server from the token, never from the payload).
 */
export interface TeamNode extends GraphNode {
  edges: Array<TeamEdge>;
  updated: string;
  roles?: Array<string>;
  author?: string;
  authored_via?: string;
  authored_by_agent?: string;
  session?: string;
  priority_by?: string;
  priority_at?: string;
  priority_via?: string;
  readiness_by?: string;
  readiness_at?: string;
  readiness_via?: string;
}

/** A node as stored: the document, its revision (a git blob SHA of its JSON) and its stream version. */
export interface NodeRecord {
  node: TeamNode;
  revision: string;
  version: number;
  /** The agent's owner (its first `owned-by` edge), for agents. */
  owner?: string;
}

/** A personal access token as stored: never the plaintext, only its SHA-256. */
export interface TokenRecord {
  hash: string;
  kind: 'person' | 'agent';
  person?: string;
  agent?: string;
  /** Agent tokens: a long-lived standing PAT, or a per-session (dispatch) token. */
  standing: boolean;
  session: string | null;
  label?: string;
  created: string;
  expires: string;
  issued_by: string;
  revoked?: string;
  last_used?: string;
  version: number;
}

/** The lease of one node: its fencing sequence survives releases; `holder` is absent when free. */
export interface LeaseRecord {
  node: string;
  fence: number;
  holder?: {person: string; agent?: string; session?: string; claimed_at: string; expires_at: string};
  version: number;
}

/** What a machine (agent) published to the fleet. */
export interface CapabilitiesRecord {
  agent: string;
  capabilities: Capabilities;
  published_at: string;
  last_seen: string;
  published_by: string;
  session?: string;
  version: number;
}

/** A bearer token's record with the nodes its subject resolves to (one read on every request). */
export interface Credential {
  token: TokenRecord;
  /** The person the token acts for: its own person, or the agent's owner. */
  person?: NodeRecord;
  agent?: NodeRecord;
}

/** Who wrote an event, as the server stamps it. */
export interface Attribution {
  /** The person: the token's own, or the owner of the agent it is scoped to. */
  author: string;
  via: 'rest' | 'dispatch';
  agent?: string;
  session?: string;
}
