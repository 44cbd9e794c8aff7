import {parseNodeFile, type GraphNode} from '../../graph/api.js';
import {ApiError, conflict, invalid} from '../http/errors.js';
import type {Viewer} from '../http/route.js';
import type {TeamTx} from '../store/contract.js';
import type {NodeRecord, TeamEdge, TeamNode} from '../store/records.js';
import {
  IDENTITY_EDGES,
  IDENTITY_TYPES,
  LIMITS,
  NODE_TYPE_SET,
  PRIORITY_SET,
  canonical,
  isKebabId,
  normalizeEdge,
  sameEdges,
  withEdge,
  type NormalizedEdge,
} from './graph.js';
import {stamped, writeNode} from './nodes.js';

/** A node as a client sends it in JSON (the fields of a Spor node's frontmatter, and its body). */
export interface NodeInput {
  id?: string;
  type?: string;
  title?: string;
  summary?: string;
  body?: string;
  status?: string;
  priority?: string;
  repo?: string;
  project?: string;
  requires?: Array<string>;
  readiness?: string;
  wake?: string;
  date?: string;
  created?: string;
  tags?: Array<string>;
  applies_to_tags?: Array<string>;
  email?: string;
  harness?: string;
  model?: string;
  mcp?: Array<string>;
  skills?: Array<string>;
  plugins?: Array<string>;
  edges?: Array<{type: string; to: string; attrs?: Record<string, string>}>;
  extra?: Record<string, unknown>;
}

export type IfExists = 'skip' | 'error';

export interface PutEntry {
  node: string | NodeInput;
  if_exists?: IfExists;
  revision?: string;
}

/** Keys the server stamps itself: whatever a payload says about them is discarded. */
const STAMPS = ['author', 'authored_via', 'authored_by_agent', 'session'];

const DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const STATUS = /^[a-z][a-z0-9-]{0,40}$/;

type Parsed = {node: GraphNode; edges: Array<{type: string; to: string; attrs?: Record<string, string>}>};

export type YamlParse = (text: string) => unknown;

/** The entry's node as a graph node plus its edges, or the list of what is wrong with it. */
export const readEntry = (
  entry: string | NodeInput,
  yaml: YamlParse | undefined,
  index: number,
): Parsed | {errors: Array<string>} => {
  if (typeof entry === 'string') {
    if (!yaml) return {errors: ['markdown entries are not available on this server']};
    const parsed = parseNodeFile(`entry ${index}`, entry, yaml);
    if (!parsed.ok) return {errors: [parsed.reason]};
    const node = {...parsed.value.node};
    if (node.extra) {
      const extra = Object.fromEntries(Object.entries(node.extra).filter(([k]) => !STAMPS.includes(k)));
      if (Object.keys(extra).length > 0) node.extra = extra;
      else delete node.extra;
    }
    return {
      node,
      edges: parsed.value.edges.map((e) => ({type: e.type, to: e.to, ...(e.attrs ? {attrs: e.attrs} : {})})),
    };
  }
  const {edges = [], date, project, priority, readiness, ...fields} = entry;
  const node = {
    ...fields,
    id: entry.id ?? '',
    type: entry.type ?? '',
    title: entry.title ?? entry.id ?? '',
    created: date ?? entry.created ?? '',
    ...(entry.repo === undefined && project !== undefined ? {repo: project} : {}),
    ...(priority === undefined ? {} : {priority: priority as GraphNode['priority']}),
    ...(readiness === undefined ? {} : {readiness: readiness as GraphNode['readiness']}),
  } as GraphNode;
  return {node, edges};
};

/** The validator: every problem with a node, in one list a calling model can act on. */
export const problemsOf = ({node, edges}: Parsed): Array<string> => {
  const p: Array<string> = [];
  if (node.id === '') p.push(`'id' is required`);
  else if (!isKebabId(node.id)) p.push(`id '${node.id}' is not kebab-case (lower-case letters, digits, dashes)`);
  if (node.type === '') p.push(`'type' is required`);
  else if (IDENTITY_TYPES.has(node.type))
    p.push(`${node.type} nodes are written through their own routes (/v1/admin/people, /v1/agents)`);
  else if (!NODE_TYPE_SET.has(node.type))
    p.push(
      `unknown node type '${node.type}' (known: ${[...NODE_TYPE_SET].filter((t) => !IDENTITY_TYPES.has(t)).join(', ')})`,
    );
  else if (node.id !== '' && !node.id.startsWith(`${node.type}-`))
    p.push(`id '${node.id}' must start with its type: '${node.type}-…'`);
  if (!node.summary || node.summary.trim() === '') p.push(`a standalone 'summary' is required`);
  else if (node.summary.length > LIMITS.summary) p.push(`'summary' is longer than ${LIMITS.summary} characters`);
  if (node.title.length > LIMITS.title) p.push(`'title' is longer than ${LIMITS.title} characters`);
  if (node.body !== undefined && Buffer.byteLength(node.body) > LIMITS.body)
    p.push(`'body' is larger than ${LIMITS.body} bytes`);
  if (node.created !== '' && (!DATE.test(node.created) || Number.isNaN(Date.parse(node.created))))
    p.push(`'date' '${node.created}' is not an ISO date`);
  if (node.wake !== undefined && (!DATE.test(node.wake) || Number.isNaN(Date.parse(node.wake))))
    p.push(`'wake' '${node.wake}' is not an ISO date`);
  if (node.priority !== undefined && !PRIORITY_SET.has(node.priority))
    p.push(`'priority' must be one of ${[...PRIORITY_SET].join(', ')}`);
  if (node.readiness !== undefined && node.readiness !== 'agent') p.push(`'readiness' can only be 'agent'`);
  if (node.status !== undefined && !STATUS.test(node.status)) p.push(`'status' '${node.status}' is not one kebab word`);
  if (edges.length > LIMITS.edges) p.push(`more than ${LIMITS.edges} edges`);
  for (const e of edges) {
    const n = normalizeEdge(node.id, e.type, e.to);
    if ('error' in n) p.push(n.error);
    else if (IDENTITY_EDGES.has(n.type)) p.push(`'${n.type}' edges are written through the identity routes`);
    if (!isKebabId(e.to)) p.push(`edge target '${e.to}' is not a node id`);
    else if (e.to === node.id) p.push(`an edge needs two different nodes ('${e.to}' twice)`);
  }
  return p;
};

export interface PutResult {
  status: 'created' | 'updated' | 'skipped';
  id: string;
  revision: string;
  warnings: Array<string>;
}

/** Writes canonical edges onto `target` (flipped inverse labels), in one write; the target must exist. */
const flipOnto = async (
  tx: TeamTx,
  targetId: string,
  add: ReadonlyArray<TeamEdge>,
  viewer: Viewer,
  now: Date,
): Promise<void> => {
  const target = await tx.node(targetId);
  if (!target) throw invalid(`'${targetId}' does not exist (an inverse edge is written on it)`, [], 'invalid_node');
  if (IDENTITY_TYPES.has(target.node.type))
    throw new ApiError(403, 'forbidden', `${target.node.type} nodes are written through their own routes`);
  const edges = add.reduce(withEdge, target.node.edges);
  if (sameEdges(edges, target.node.edges)) return;
  writeNode(tx, target, stamped(target.node, viewer.by, now, edges), 'edge-added', viewer.by);
};

/**
 * `put_node`: creates the node, or (with the `revision` it read) replaces it; an existing node
 * without a revision is skipped or a conflict, as `if_exists` says. Inverse edges are flipped onto
 * their targets.
 */
export const putNode = async (
  tx: TeamTx,
  parsed: Parsed,
  opts: {ifExists: IfExists; revision?: string},
  viewer: Viewer,
  now: Date,
): Promise<PutResult> => {
  const {node} = parsed;
  const existing = await tx.node(node.id);
  if (existing && IDENTITY_TYPES.has(existing.node.type))
    throw new ApiError(403, 'forbidden', `${existing.node.type} nodes are written through their own routes`);
  if (existing && opts.revision === undefined) {
    if (opts.ifExists === 'skip')
      return {status: 'skipped', id: node.id, revision: existing.revision, warnings: ['the node exists already']};
    throw conflict(`node '${node.id}' exists already (send its revision to update it)`, [
      {id: node.id, revision: existing.revision},
    ]);
  }
  if (existing && opts.revision !== existing.revision)
    throw conflict(`node '${node.id}' changed since revision ${opts.revision}; read it again`, [
      {id: node.id, revision: existing.revision},
    ]);
  if (!existing && opts.revision !== undefined) throw new ApiError(404, 'not_found', `no node '${node.id}' to update`);
  const warnings: Array<string> = [];
  let own: Array<TeamEdge> = [];
  const flips = new Map<string, Array<TeamEdge>>();
  for (const e of parsed.edges) {
    const n = normalizeEdge(node.id, e.type, e.to) as NormalizedEdge;
    if (n.warning) warnings.push(n.warning);
    const edge = {type: n.type, to: n.to, ...(e.attrs ? {attrs: e.attrs} : {})};
    if (n.flipped) flips.set(n.from, [...(flips.get(n.from) ?? []), edge]);
    else own = withEdge(own, edge);
  }
  for (const [target, edges] of flips) await flipOnto(tx, target, edges, viewer, now);
  const created = existing?.node.created ?? (node.created === '' ? now.toISOString() : node.created);
  const doc: TeamNode = {...node, created, updated: now.toISOString(), edges: own};
  if (existing && sameDoc(existing, doc))
    return {status: 'skipped', id: node.id, revision: existing.revision, warnings: [...warnings, 'nothing changed']};
  const written = writeNode(tx, existing, stamped(doc, viewer.by, now), existing ? 'updated' : 'created', viewer.by);
  return {status: existing ? 'updated' : 'created', id: node.id, revision: written.revision, warnings};
};

const sameDoc = (a: NodeRecord, b: TeamNode): boolean => {
  const strip = (n: TeamNode): string => {
    const {updated: _u, author: _a, authored_via: _v, authored_by_agent: _g, session: _s, ...rest} = n;
    return canonical(rest);
  };
  return strip(a.node) === strip(b);
};
