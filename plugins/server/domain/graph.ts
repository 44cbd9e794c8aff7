import {
  EDGE_TYPES,
  NODE_ID,
  NODE_TYPES,
  PRIORITIES,
  edgeKey,
  viewOfState,
  type GraphEdge,
  type GraphNode,
  type GraphState,
  type GraphView,
} from '../../graph/api.js';
import type {NodeRecord, TeamEdge, TeamNode} from '../store/records.js';

/** Nodes that only their own routes write (people, agents, the org root): never the node routes. */
export const IDENTITY_TYPES: ReadonlySet<string> = new Set(['person', 'agent', 'org']);
/** Edges only the identity routes write (`owned-by` on agents, `stewards` to the root). */
export const IDENTITY_EDGES: ReadonlySet<string> = new Set(['owned-by', 'stewards']);

/** Review edges: adding one flips a sibling to the same person in place (the submit-review primitive). */
export const REVIEW_EDGES: ReadonlyArray<string> = ['review-requested', 'reviewed-by', 'changes-requested-by'];

/** The edge types a node may carry: the graph's own, and the review edges. */
export const EDGE_VOCABULARY: ReadonlySet<string> = new Set([...EDGE_TYPES, ...REVIEW_EDGES, 'stewards']);

/** Inverse labels: the edge read from its target's side, written as the canonical edge on the target. */
export const INVERSE_EDGES: Readonly<Record<string, string>> = {
  'blocked-by': 'blocks',
  'resolved-by': 'resolves',
  'answered-by': 'answers',
  'superseded-by': 'supersedes',
};

/** Aliases renamed in place. */
export const EDGE_ALIASES: Readonly<Record<string, string>> = {
  'assigned-to': 'assigned',
  relates: 'relates-to',
  uses: 'uses-profile',
};

export const NODE_TYPE_SET: ReadonlySet<string> = new Set(NODE_TYPES);
export const PRIORITY_SET: ReadonlySet<string> = new Set(PRIORITIES);

/** The contract's size limits on a node. */
export const LIMITS = {body: 8 * 1024, summary: 500, edges: 40, title: 200};

/** The graph node a team node is (its own fields, without the server's stamps and edges). */
export const graphNodeOf = (n: TeamNode): GraphNode => {
  const {
    edges: _edges,
    updated: _updated,
    roles: _roles,
    author: _author,
    authored_via: _via,
    authored_by_agent: _agent,
    session: _session,
    priority_by: _pb,
    priority_at: _pa,
    priority_via: _pv,
    readiness_by: _rb,
    readiness_at: _ra,
    readiness_via: _rv,
    ...node
  } = n;
  return node;
};

/** The records as the graph plugin's state: whole nodes by id, edges by key. */
export const graphStateOf = (records: Iterable<NodeRecord>): GraphState => {
  const nodes: Record<string, GraphNode> = {};
  const edges: Record<string, GraphEdge> = {};
  for (const r of records) {
    nodes[r.node.id] = graphNodeOf(r.node);
    for (const e of r.node.edges) {
      const edge: GraphEdge = {from: r.node.id, type: e.type, to: e.to, ...(e.attrs ? {attrs: e.attrs} : {})};
      edges[edgeKey(edge)] = edge;
    }
  }
  return {nodes, edges};
};

/** A view (indexes and the graph's rules) over some records. */
export const viewOf = (records: Iterable<NodeRecord>): GraphView => viewOfState(graphStateOf(records));

export const isKebabId = (id: string): boolean => NODE_ID.test(id) && id.length <= 128;

/** An edge as a client named it, made canonical: aliases renamed, inverse labels flipped. */
export interface NormalizedEdge {
  from: string;
  type: string;
  to: string;
  flipped: boolean;
  warning?: string;
}

export const normalizeEdge = (from: string, type: string, to: string): NormalizedEdge | {error: string} => {
  const alias = EDGE_ALIASES[type];
  if (alias) return {from, type: alias, to, flipped: false, warning: `edge type '${type}' was written as '${alias}'`};
  const inverse = INVERSE_EDGES[type];
  if (inverse)
    return {
      from: to,
      type: inverse,
      to: from,
      flipped: true,
      warning: `'${type} ${to}' on ${from} was written as '${inverse} ${from}' on ${to}`,
    };
  if (!EDGE_VOCABULARY.has(type))
    return {
      error: `unknown edge type '${type}' (known: ${[...EDGE_VOCABULARY, ...Object.keys(INVERSE_EDGES)].join(', ')})`,
    };
  return {from, type, to, flipped: false};
};

/** Adds (or re-attributes) an edge; a review edge replaces its siblings to the same target. */
export const withEdge = (edges: ReadonlyArray<TeamEdge>, edge: TeamEdge): Array<TeamEdge> => {
  const at = edges.findIndex((e) => e.type === edge.type && e.to === edge.to);
  // The same edge again changes nothing; with other attributes it is updated in place.
  if (at !== -1) return edges.map((e, i) => (i === at ? edge : e));
  const siblings = REVIEW_EDGES.includes(edge.type) ? REVIEW_EDGES : [];
  return [...edges.filter((e) => !(e.to === edge.to && siblings.includes(e.type))), edge];
};

/**
 * JSON with object keys sorted at every level: equal documents, equal text (a store may hand a
 * document back with its keys in another order, as PostgreSQL's jsonb does).
 */
export const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/** The same edges, in the same order (the order edges were added is kept). */
export const sameEdges = (a: ReadonlyArray<TeamEdge>, b: ReadonlyArray<TeamEdge>): boolean =>
  canonical(a) === canonical(b);
