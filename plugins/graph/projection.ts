import type {SporEvent} from '../../core/events.js';
import type {Projection} from '../../core/plugin.js';
import type {GraphEvent} from './events.js';
import type {GraphEdge, GraphNode} from './model.js';

/** The fields of a node kept in the event log only (read on demand), not in the slice. */
export const TEXT_FIELDS = ['summary', 'body', 'extra'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** A node without its text: everything the rules, the queue and listings need. */
export type NodeMeta = Omit<GraphNode, TextField>;

/** A node's text, as folded from the events that carry it. */
export type NodeText = Pick<GraphNode, TextField>;

/**
 * The graph as a reader sees it (GraphView.state): whole nodes by id, edges by `edgeKey`.
 */
export interface GraphState {
  nodes: Record<string, GraphNode>;
  edges: Record<string, GraphEdge>;
}

/**
 * One node as the slice stores it: the fields the rules read, by position (an empty string when
 * unset), the other small fields in `more`, and the seqs of the events that carry its text.
 * Trailing empty positions are dropped.
 */
export type NodeRow = [id: string, type: string, title: string, created: string, status?: string, priority?: string, repo?: string,
  wake?: string, more?: Record<string, unknown> | 0, text?: Array<number> | 0];

/**
 * The `graph` slice as stored. Every `spor next` and `spor brief` parses it, so it is built for
 * JSON.parse: rows and strings rather than an object per node and per edge (which cost about
 * twice as much on a 10,000-node graph), and no node text (summary, body, unknown import keys),
 * which stays in the log and is found by the seqs in each row. Read it through GRAPH_READER.
 */
export interface GraphSlice {
  /** In the order the nodes were first added. */
  nodes: Array<NodeRow>;
  /**
   * Edges by type, each as `"<from> <to>"` (ids hold no spaces), so that the rules, which read a
   * few types, pass over those edges only.
   */
  edges: Record<string, Array<string>>;
  /** Attributes of the edges that have some, by `edgeKey`. */
  attrs: Record<string, Record<string, string>>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap { graph: GraphSlice }
}

export const edgeKey = (e: {from: string; type: string; to: string}): string => `${e.from} ${e.type} ${e.to}`;

/** `Object.hasOwn` lookup: ids such as `constructor` must not find Object.prototype's members. */
export const own = <V>(record: Record<string, V>, key: string): V | undefined =>
  (Object.hasOwn(record, key) ? record[key] : undefined);

const POSITIONAL = ['status', 'priority', 'repo', 'wake'] as const;
/** Fields every node has: an update may change them but never unset them. */
const REQUIRED = new Set(['id', 'type', 'title', 'created']);
const isTextField = (key: string): boolean => (TEXT_FIELDS as ReadonlyArray<string>).includes(key);
const skip = new Set<string>(['id', 'type', 'title', 'created', ...POSITIONAL, ...TEXT_FIELDS]);

/** Encodes a node (its text fields are left out) and the seqs of its text into a row. */
export const rowOf = (node: GraphNode | NodeMeta, text: Array<number> | undefined): NodeRow => {
  const more: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!skip.has(k) && v !== undefined) more[k] = v;
  const row: Array<unknown> = [node.id, node.type, node.title, node.created, ...POSITIONAL.map((f) => node[f] ?? ''),
    Object.keys(more).length > 0 ? more : 0, text && text.length > 0 ? text : 0];
  while (row.length > 4 && (row[row.length - 1] === '' || row[row.length - 1] === 0)) row.pop();
  return row as NodeRow;
};

/** Decodes a row into the node's fields, without its text. */
export const metaOf = (row: NodeRow): NodeMeta => {
  // One object literal (one shape for every node) is much cheaper than adding keys one by one.
  const meta: NodeMeta = {id: row[0], type: row[1], title: row[2], created: row[3], status: row[4] || undefined,
    priority: (row[5] || undefined) as NodeMeta['priority'], repo: row[6] || undefined, wake: row[7] || undefined};
  return row[8] ? Object.assign(meta, row[8]) : meta;
};

/** The seqs of the events that carry a row's text, oldest first. */
export const textSeqsOf = (row: NodeRow): Array<number> => row[9] || [];

// Lookups the fold needs, rebuilt once per process from the slice and then kept up to date. They
// are caches of the slice, not part of it: a WeakMap keeps them off the snapshot.
const positions = new WeakMap<Array<NodeRow>, Map<string, number>>();
const edgeSets = new WeakMap<Array<string>, Set<string>>();

/** Where each id sits in `rows` (built on first use, then kept by the fold). */
export const positionsOf = (rows: Array<NodeRow>): Map<string, number> => {
  let map = positions.get(rows);
  if (!map) {
    map = new Map(rows.map((r, i) => [r[0], i]));
    positions.set(rows, map);
  }
  return map;
};

const edgeSetOf = (list: Array<string>): Set<string> => {
  let set = edgeSets.get(list);
  if (!set) {
    set = new Set(list);
    edgeSets.set(list, set);
  }
  return set;
};

/** True when the slice has this edge. */
export const hasEdge = (s: GraphSlice, e: {from: string; type: string; to: string}): boolean => {
  const list = own(s.edges, e.type);
  return list !== undefined && edgeSetOf(list).has(`${e.from} ${e.to}`);
};

// Updated in place: the projector owns the slice, and copying 10,000 nodes per event would make
// an import or a rebuild quadratic. Rows are replaced, never edited.
export const graphProjection: Projection<GraphSlice> = {
  name: 'graph',
  version: 4,
  on: ['node-added', 'node-updated', 'edge-added', 'edge-removed', 'repo-added'],
  initial: () => ({nodes: [], edges: {}, attrs: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as GraphEvent;
    switch (e.type) {
      case 'node-added': {
        const node = e.data.node;
        const row = rowOf(node, TEXT_FIELDS.some((f) => node[f] !== undefined) ? [e.seq] : undefined);
        const at = positionsOf(state.nodes);
        const i = at.get(node.id);
        if (i === undefined) { at.set(node.id, state.nodes.length); state.nodes.push(row); } else state.nodes[i] = row;
        return state;
      }
      case 'node-updated': {
        const i = positionsOf(state.nodes).get(e.data.id);
        if (i === undefined) return state;
        const row = state.nodes[i] as NodeRow;
        const next: Record<string, unknown> = {...metaOf(row)};
        let textChanged = false;
        for (const [key, value] of Object.entries(e.data.set)) {
          if (key === 'id' || key === 'created') continue;
          if (isTextField(key)) textChanged = true;
          else next[key] = value;
        }
        for (const key of e.data.unset ?? [] as Array<string>) {
          if (isTextField(key)) textChanged = true;
          else if (!REQUIRED.has(key)) delete next[key];
        }
        state.nodes[i] = rowOf(next as unknown as NodeMeta, textChanged ? [...textSeqsOf(row), e.seq] : textSeqsOf(row));
        return state;
      }
      case 'edge-added': {
        const {from, type, to, attrs} = e.data.edge;
        const list = own(state.edges, type) ?? (state.edges[type] = []);
        const set = edgeSetOf(list);
        const pair = `${from} ${to}`;
        if (!set.has(pair)) { set.add(pair); list.push(pair); }
        const key = edgeKey(e.data.edge);
        if (attrs && Object.keys(attrs).length > 0) state.attrs[key] = attrs;
        else delete state.attrs[key];
        return state;
      }
      case 'edge-removed': {
        const list = own(state.edges, e.data.type);
        const pair = `${e.data.from} ${e.data.to}`;
        if (list && edgeSetOf(list).delete(pair)) {
          list.splice(list.indexOf(pair), 1);
          if (list.length === 0) delete state.edges[e.data.type];
        }
        delete state.attrs[edgeKey(e.data)];
        return state;
      }
      default:
        // Self-registration: mapping a repo slug (the repos plugin's `repo-added`, read by type
        // name) brings its `repo-<slug>` node into the graph when there is none yet.
        if (event.type === 'repo-added') {
          const slug = (event.data as {slug?: unknown}).slug;
          const at = positionsOf(state.nodes);
          if (typeof slug === 'string' && !at.has(`repo-${slug}`)) {
            at.set(`repo-${slug}`, state.nodes.length);
            state.nodes.push(rowOf({id: `repo-${slug}`, type: 'repo', title: slug, created: event.at}, undefined));
          }
        }
        return state;
    }
  },
};
