/** The node types spor acts on; any other type imports as an inert node. */
export const NODE_TYPES = [
  'person',
  'agent',
  'task',
  'issue',
  'question',
  'decision',
  'norm',
  'profile',
  'repo',
  // What a reference Spor graph carries besides: work products (resolved when merged, released
  // or done), gardener findings and raw captures awaiting triage (both queued), and corrections
  // that steer briefings (pin, exclude).
  'artifact',
  'finding',
  'capture-pending',
  'correction',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** The edge types spor acts on; any other type imports as an inert edge. */
export const EDGE_TYPES = [
  'owned-by',
  'assigned',
  'uses-profile',
  'resolves',
  'answers',
  'blocks',
  'relates-to',
  'supersedes',
  'constrained-by',
  'mentions',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

export const PRIORITIES = ['p1', 'p2', 'p3'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Statuses after which a node no longer needs work. */
export const TERMINAL_STATUSES = new Set([
  'done',
  'resolved',
  'answered',
  'closed',
  'completed',
  'abandoned',
  'rejected',
  'superseded',
  'merged',
  'released',
  'retired',
  'dismissed',
  'deprecated',
]);

/** Node ids: kebab-case, no path characters. */
export const NODE_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A node as projected. Known fields are typed; anything else an import brought along stays in
 * `extra`, untouched and shown by `spor get`.
 */
export interface GraphNode {
  id: string;
  type: string;
  title: string;
  summary?: string;
  status?: string;
  priority?: Priority;
  /** The repo slug the node belongs to (imports also read `project`). */
  repo?: string;
  requires?: Array<string>;
  /** `agent` when stamped by hand with `spor ready`. */
  readiness?: 'agent';
  /** ISO date before which the node is dormant. */
  wake?: string;
  body?: string;
  /** When the node was created (the event time, or the import's `date`). */
  created: string;
  /** Repo nodes: identity tags. */
  tags?: Array<string>;
  /** Norms: the repo tags they apply to (absent = untagged norm). */
  applies_to_tags?: Array<string>;
  /** Person nodes. */
  email?: string;
  /** Agent nodes: workload identity and the (unenforced) public-key fingerprint. */
  identity?: string;
  pubkey?: string;
  /** Profile nodes: what a run needs. */
  harness?: string;
  model?: string;
  /** What a run under the profile may do: `read-only`, `edit` or `full` (dispatch checks it). */
  posture?: string;
  mcp?: Array<string>;
  skills?: Array<string>;
  plugins?: Array<string>;
  /** Fields spor does not act on, kept as imported. */
  extra?: Record<string, unknown>;
}

/** The fields a `node-updated` event may set. */
export type NodeFields = Omit<GraphNode, 'id' | 'created'>;

export interface GraphEdge {
  from: string;
  type: string;
  to: string;
  /** e.g. `profile` on an `assigned` edge. */
  attrs?: Record<string, string>;
}

export const isActedOnType = (type: string): type is NodeType => (NODE_TYPES as ReadonlyArray<string>).includes(type);
export const isActedOnEdge = (type: string): type is EdgeType => (EDGE_TYPES as ReadonlyArray<string>).includes(type);

/** Turns a title into the id tail: `Retry emails!` → `retry-emails`. */
export const kebab = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');

/** The key of an edge among all edges (ids hold no spaces). */
export const edgeKey = (e: {from: string; type: string; to: string}): string => `${e.from} ${e.type} ${e.to}`;

/** The graph as a reader sees it (GraphView.state): whole nodes by id, edges by `edgeKey`. */
export interface GraphState {
  nodes: Record<string, GraphNode>;
  edges: Record<string, GraphEdge>;
}
