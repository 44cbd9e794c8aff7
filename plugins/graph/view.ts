import type {SporEvent} from '../../core/events.js';
import type {GraphEdge, GraphNode} from './model.js';
import {TEXT_FIELDS, edgeKey, metaOf, own, positionsOf, textSeqsOf, type GraphSlice, type GraphState, type NodeMeta, type NodeRow, type NodeText} from './projection.js';
import {isTerminal, isWithdrawn} from './rules.js';
import type {GraphView, Readiness} from './tokens.js';

/** Where node text comes from: the log's events by seq. */
export interface TextSource { fetch(seqs: Iterable<number>): Map<number, SporEvent> }

type Resolution = ReturnType<GraphView['resolution']>;

/** Edges of one type (or all) by source and by target. */
interface EdgeIndex { out: Map<string, Array<GraphEdge>>; in: Map<string, Array<GraphEdge>> }

/** Folds a node's text-carrying events (node-added, node-updated) into its text fields. */
const foldText = (events: ReadonlyArray<SporEvent | undefined>): NodeText => {
  const text: Record<string, unknown> = {};
  for (const e of events) {
    if (e?.type === 'node-added') {
      const node = (e.data as {node: GraphNode}).node;
      for (const f of TEXT_FIELDS) {
        if (node[f] === undefined) delete text[f];
        else text[f] = node[f];
      }
    } else if (e?.type === 'node-updated') {
      const d = e.data as {set: Record<string, unknown>; unset?: Array<string>};
      for (const f of TEXT_FIELDS) if (Object.hasOwn(d.set, f)) text[f] = d.set[f];
      for (const f of d.unset ?? []) if ((TEXT_FIELDS as ReadonlyArray<string>).includes(f)) delete text[f];
    }
  }
  return text as NodeText;
};

const push = <K, V>(map: Map<K, Array<V>>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

// Untyped edge queries scan the edge list until this many have been asked; then one index of all
// edges pays off. A ranking asks only typed questions, which get an index per type.
const SCANS_BEFORE_INDEX = 8;


/**
 * The GraphView over one read of the `graph` slice. Everything is derived on first use and kept:
 * node objects, nodes by type, edge indexes (one per edge type asked about, or one of all edges),
 * rule answers. The slice does not change under a view.
 */
export class IndexedGraph implements GraphView {
  private readonly metas: Array<NodeMeta | undefined> = [];
  private byType?: Map<string, Array<number>>;
  private readonly typed = new Map<string, EdgeIndex>();
  private allEdges?: EdgeIndex;
  private scans = 0;
  private readonly texts = new Map<string, NodeText>();
  private readonly whole = new Map<string, GraphNode>();
  private readonly resolved = new Map<string, Resolution | null>();
  private stateCache?: GraphState;

  private readonly at: Map<string, number>;
  private readonly anyAttrs: boolean;

  constructor(private readonly slice: GraphSlice, private readonly source?: TextSource) {
    this.at = positionsOf(slice.nodes);
    this.anyAttrs = Object.keys(slice.attrs).length > 0;
  }

  get state(): GraphState {
    if (!this.stateCache) {
      this.load();
      const nodes: Record<string, GraphNode> = {};
      for (const row of this.slice.nodes) nodes[row[0]] = this.node(row[0]) as GraphNode;
      const edges: Record<string, GraphEdge> = {};
      for (const list of this.edgeIndex().out.values()) for (const e of list) edges[edgeKey(e)] = e;
      this.stateCache = {nodes, edges};
    }
    return this.stateCache;
  }

  meta(id: string): NodeMeta | undefined {
    const i = this.at.get(id);
    return i === undefined ? undefined : this.metaAt(i);
  }

  node(id: string): GraphNode | undefined {
    const meta = this.meta(id);
    if (!meta) return undefined;
    let node = this.whole.get(id);
    if (!node) {
      if (!this.texts.has(id)) this.load([id]);
      node = {...meta, ...this.texts.get(id)};
      this.whole.set(id, node);
    }
    return node;
  }

  nodes(type?: string): Array<NodeMeta> {
    if (type === undefined) return this.slice.nodes.map((_, i) => this.metaAt(i));
    if (!this.byType) {
      const byType = new Map<string, Array<number>>();
      this.slice.nodes.forEach((row, i) => push(byType, row[1], i));
      this.byType = byType;
    }
    return (this.byType.get(type) ?? []).map((i) => this.metaAt(i));
  }

  load(ids?: Iterable<string>): void {
    const rows = new Map<string, NodeRow>();
    for (const id of ids ?? this.at.keys()) {
      const i = this.at.get(id);
      if (i !== undefined && !this.texts.has(id)) rows.set(id, this.slice.nodes[i] as NodeRow);
    }
    if (rows.size === 0) return;
    const seqs = [...rows.values()].flatMap(textSeqsOf);
    const events = this.source && seqs.length > 0 ? this.source.fetch(seqs) : new Map<number, SporEvent>();
    for (const [id, row] of rows) this.texts.set(id, foldText(textSeqsOf(row).map((s) => events.get(s))));
    this.stateCache = undefined;
  }

  outbound(id: string, type?: string): Array<GraphEdge> {
    if (type !== undefined) return [...(this.edgesOfType(type).out.get(id) ?? [])];
    if (this.allEdges || ++this.scans > SCANS_BEFORE_INDEX) return [...(this.edgeIndex().out.get(id) ?? [])];
    const prefix = `${id} `;
    return this.scan((pair) => pair.startsWith(prefix));
  }

  inbound(id: string, type?: string): Array<GraphEdge> {
    if (type !== undefined) return [...(this.edgesOfType(type).in.get(id) ?? [])];
    if (this.allEdges || ++this.scans > SCANS_BEFORE_INDEX) return [...(this.edgeIndex().in.get(id) ?? [])];
    const suffix = ` ${id}`;
    return this.scan((pair) => pair.endsWith(suffix));
  }

  isLive(edge: GraphEdge): boolean {
    const from = this.row(edge.from);
    return from !== undefined && !isWithdrawn(from[4]);
  }

  isResolved(id: string): boolean { return this.resolution(id) !== undefined; }

  resolution(id: string): Resolution {
    const memo = this.resolved.get(id);
    if (memo !== undefined) return memo ?? undefined;
    const node = this.row(id);
    let found: Resolution;
    if (node && isTerminal(node[4])) found = {by: 'status', status: node[4] as string};
    else if (node) {
      const edge = this.typedIn('resolves', id).find((e) => this.isLive(e)) ?? this.typedIn('answers', id).find((e) => this.isLive(e));
      if (edge) found = {by: 'edge', type: edge.type, from: edge.from};
    }
    this.resolved.set(id, found ?? null);
    return found;
  }

  readiness(id: string): {readiness: Readiness; reasons: Array<string>} {
    const node = this.meta(id);
    if (!node) return {readiness: 'untriaged', reasons: [`no node '${id}'`]};
    const assignees = (this.edgesOfType('assigned').out.get(id) ?? []).map((e) => this.meta(e.to)).filter((n): n is NodeMeta => n !== undefined);
    const human: Array<string> = [];
    if (node.requires?.includes('human')) human.push('requires human');
    for (const p of assignees.filter((n) => n.type === 'person')) human.push(`assigned to ${p.id}`);
    if (node.type === 'question' && !this.isResolved(id)) human.push('open question');
    if (human.length > 0) return {readiness: 'human', reasons: human};
    const agent: Array<string> = [];
    if (node.readiness === 'agent') agent.push('marked ready (spor ready)');
    for (const a of assignees.filter((n) => n.type === 'agent')) agent.push(`assigned to ${a.id}`);
    if (agent.length > 0) return {readiness: 'agent', reasons: agent};
    return {readiness: 'untriaged', reasons: ['not marked ready and not assigned']};
  }

  openBlockers(id: string): Array<NodeMeta> {
    const blockers: Array<NodeMeta> = [];
    for (const e of this.typedIn('blocks', id)) {
      if (this.row(e.from) && !this.isResolved(e.from)) blockers.push(this.meta(e.from) as NodeMeta);
    }
    return blockers;
  }

  private row(id: string): NodeRow | undefined {
    const i = this.at.get(id);
    return i === undefined ? undefined : this.slice.nodes[i];
  }

  private metaAt(i: number): NodeMeta {
    let meta = this.metas[i];
    if (!meta) {
      meta = metaOf(this.slice.nodes[i] as NodeRow);
      this.metas[i] = meta;
    }
    return meta;
  }

  private typedIn(type: string, id: string): ReadonlyArray<GraphEdge> { return this.edgesOfType(type).in.get(id) ?? []; }

  private edgeOf(type: string, pair: string): GraphEdge {
    const space = pair.indexOf(' ');
    const edge: GraphEdge = {from: pair.slice(0, space), type, to: pair.slice(space + 1)};
    if (this.anyAttrs) {
      const key = `${edge.from} ${type} ${edge.to}`;
      if (Object.hasOwn(this.slice.attrs, key)) edge.attrs = this.slice.attrs[key];
    }
    return edge;
  }

  /** Edges of every type whose `"<from> <to>"` passes `test`. */
  private scan(test: (pair: string) => boolean): Array<GraphEdge> {
    const found: Array<GraphEdge> = [];
    for (const type of Object.keys(this.slice.edges)) {
      for (const pair of this.slice.edges[type] as Array<string>) if (test(pair)) found.push(this.edgeOf(type, pair));
    }
    return found;
  }

  private edgesOfType(type: string): EdgeIndex {
    let index = this.typed.get(type);
    if (!index) {
      index = {out: new Map(), in: new Map()};
      for (const pair of own(this.slice.edges, type) ?? []) {
        const edge = this.edgeOf(type, pair);
        push(index.out, edge.from, edge);
        push(index.in, edge.to, edge);
      }
      this.typed.set(type, index);
    }
    return index;
  }

  private edgeIndex(): EdgeIndex {
    if (!this.allEdges) {
      const index: EdgeIndex = {out: new Map(), in: new Map()};
      for (const type of Object.keys(this.slice.edges)) {
        for (const edge of this.edgesOfType(type).out.values()) for (const e of edge) { push(index.out, e.from, e); push(index.in, e.to, e); }
      }
      this.allEdges = index;
    }
    return this.allEdges;
  }
}
