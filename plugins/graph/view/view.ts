import type {SporEvent} from '../../../core/index.js';
import {edgeKey, type GraphEdge, type GraphNode, type GraphState} from '../model/model.js';
import type {Numbers} from '../store/columns.js';
import {GraphSlice, TEXT_FIELDS, type NodeMeta, type NodeText, type TextRef} from '../store/slice.js';
import {isOutOfForce, isTerminal, isWithdrawn} from '../model/rules.js';
import type {GraphView, Readiness} from '../api.js';

/** Where node text comes from: the log's events, by seq. */
export interface TextSource {
  fetch(refs: ReadonlyArray<TextRef>): Map<number, SporEvent>;
}

type Resolution = ReturnType<GraphView['resolution']>;

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

/** One edge type's edges by source and by target endpoint: the positions of their pairs (see GraphSlice.pairs). */
interface TypedIndex {
  out: Map<number, Array<number>>;
  in: Map<number, Array<number>>;
}

const NONE: ReadonlyArray<number> = [];

// Edge questions about a type search its pairs until this many have been asked; then an index
// of the type pays off.
const SEARCHES_BEFORE_INDEX = 16;

/**
 * The GraphView over one read of the `graph` slice. The rules (resolution, blocking, readiness)
 * work on node positions, and are answered once each; the id-based GraphView methods look the
 * position up and ask them. Everything is derived on first use and kept: node objects, nodes by
 * type, an edge index per type asked about. The slice does not change under a view.
 */
export class IndexedGraph implements GraphView {
  private readonly metas: Array<NodeMeta | undefined> = [];
  private readonly byType = new Map<string, ReadonlyArray<number>>();
  private readonly typed = new Map<string, TypedIndex>();
  private readonly asked = new Map<string, number>();
  private readonly texts = new Map<number, NodeText>();
  private readonly whole = new Map<number, GraphNode>();
  /** Per position: 1 when resolved (see resolvedMask). */
  private resolved?: Uint8Array;
  private blocked?: Uint8Array;
  private nearQuestions?: Map<number, Array<number>>;
  private withdrawnCodes?: Array<boolean>;
  private stateCache?: GraphState;

  constructor(
    readonly slice: GraphSlice,
    private readonly source?: TextSource,
  ) {}

  /**
   * The plugin's own view of any GraphView: itself, or (a stand-in a test or plugin built) one
   * folded from its state. The default ranking and briefing read positions through it.
   */
  static of(view: GraphView): IndexedGraph {
    if (view instanceof IndexedGraph) return view;
    const slice = new GraphSlice();
    for (const node of Object.values(view.state.nodes)) slice.putNode(node, []);
    for (const e of Object.values(view.state.edges)) slice.addEdge(e.from, e.type, e.to, e.attrs, edgeKey(e));
    return new IndexedGraph(slice);
  }

  get state(): GraphState {
    if (!this.stateCache) {
      this.load();
      const nodes: Record<string, GraphNode> = {};
      for (let i = 0; i < this.slice.size; i += 1) nodes[this.slice.idAt(i)] = this.nodeAt(i);
      const edges: Record<string, GraphEdge> = {};
      for (const type of this.slice.edgeTypes()) {
        const pairs = this.slice.pairs(type);
        for (let k = 0; k < pairs.length; k += 2) {
          const e = this.edgeAt(type, pairs, k);
          edges[edgeKey(e)] = e;
        }
      }
      this.stateCache = {nodes, edges};
    }
    return this.stateCache;
  }

  meta(id: string): NodeMeta | undefined {
    const i = this.slice.indexOf(id);
    return i === undefined ? undefined : this.metaAt(i);
  }

  node(id: string): GraphNode | undefined {
    const i = this.slice.indexOf(id);
    return i === undefined ? undefined : this.nodeAt(i);
  }

  nodes(type?: string): Array<NodeMeta> {
    if (type === undefined) return Array.from({length: this.slice.size}, (_, i) => this.metaAt(i));
    return this.positionsOfType(type).map((i) => this.metaAt(i));
  }

  load(ids?: Iterable<string>): void {
    const wanted: Array<number> = [];
    if (ids === undefined) for (let i = 0; i < this.slice.size; i += 1) wanted.push(i);
    else
      for (const id of ids) {
        const i = this.slice.indexOf(id);
        if (i !== undefined) wanted.push(i);
      }
    this.loadAt(wanted);
  }

  /** Reads the text of the nodes at these positions, in one pass over the log. */
  loadAt(positions: ReadonlyArray<number>): void {
    const rows = [...new Set(positions)].filter((i) => !this.texts.has(i));
    if (rows.length === 0) return;
    const refs = rows.map((i) => this.slice.textRefsAt(i));
    const all = refs.flat();
    const events = this.source && all.length > 0 ? this.source.fetch(all) : new Map<number, SporEvent>();
    rows.forEach((i, k) => this.texts.set(i, foldText((refs[k] as Array<TextRef>).map((r) => events.get(r.seq)))));
    this.stateCache = undefined;
  }

  outbound(id: string, type?: string): Array<GraphEdge> {
    return this.edgesOf(id, type, 'out');
  }
  inbound(id: string, type?: string): Array<GraphEdge> {
    return this.edgesOf(id, type, 'in');
  }

  isLive(edge: GraphEdge): boolean {
    const from = this.slice.indexOf(edge.from);
    return from !== undefined && this.liveFrom(from);
  }

  isResolved(id: string): boolean {
    const i = this.slice.indexOf(id);
    return i !== undefined && this.isResolvedAt(i);
  }

  resolution(id: string): Resolution {
    const i = this.slice.indexOf(id);
    if (i === undefined) return undefined;
    const status = this.slice.statusAt(i);
    if (isTerminal(status)) return {by: 'status', status: status as string};
    for (const type of ['resolves', 'answers']) {
      const pairs = this.slice.pairs(type);
      const k = this.ends(type, i, 'in').find((pk) => this.liveEnd(pairs[pk] as number));
      if (k !== undefined) return {by: 'edge', type, from: this.slice.endpointId(pairs[k] as number)};
    }
    return undefined;
  }

  readiness(id: string): {readiness: Readiness; reasons: Array<string>} {
    const i = this.slice.indexOf(id);
    return i === undefined ? {readiness: 'untriaged', reasons: [`no node '${id}'`]} : this.readinessAt(i);
  }

  openBlockers(id: string): Array<NodeMeta> {
    const i = this.slice.indexOf(id);
    return i === undefined ? [] : this.openBlockersAt(i).map((b) => this.metaAt(b));
  }

  // ---- by position: what the rules and the default ranking use ----

  metaAt(i: number): NodeMeta {
    let meta = this.metas[i];
    if (!meta) {
      meta = this.slice.metaAt(i);
      this.metas[i] = meta;
    }
    return meta;
  }

  /** Positions of the nodes of one type, in the order they were added. */
  positionsOfType(type: string): ReadonlyArray<number> {
    let found = this.byType.get(type);
    if (!found) {
      const code = this.slice.code('type', type);
      const codes = this.slice.column('type');
      const list: Array<number> = [];
      if (code > 0) for (let i = 0; i < codes.length; i += 1) if (codes[i] === code) list.push(i);
      found = list;
      this.byType.set(type, found);
    }
    return found;
  }

  /** Terminal status, or a live inbound `resolves`/`answers` edge. */
  isResolvedAt(i: number): boolean {
    return this.resolvedMask()[i] === 1;
  }

  /**
   * isResolvedAt for every position at once, in a few passes over the columns: the ranking asks
   * it of thousands of nodes, and one tight loop costs a fresh process far less than as many calls.
   */
  resolvedMask(): Uint8Array {
    if (!this.resolved) {
      const status = this.slice.column('status');
      const terminal = this.slice.names('status').map((s) => isTerminal(s));
      const mask = new Uint8Array(this.slice.size);
      for (let i = 0; i < mask.length; i += 1) if (terminal[status[i] as number]) mask[i] = 1;
      const withdrawn = this.withdrawn();
      for (const type of ['resolves', 'answers']) {
        const pairs = this.slice.pairs(type);
        for (let k = 0; k < pairs.length; k += 2) {
          const from = pairs[k] as number;
          const to = pairs[k + 1] as number;
          if (to >= 0 && from >= 0 && !withdrawn[status[from] as number]) mask[to] = 1;
        }
      }
      this.resolved = mask;
    }
    return this.resolved;
  }

  /** Per position: 1 when some unresolved node has a `blocks` edge into it. */
  blockedMask(): Uint8Array {
    if (!this.blocked) {
      const resolved = this.resolvedMask();
      const mask = new Uint8Array(this.slice.size);
      const pairs = this.slice.pairs('blocks');
      for (let k = 0; k < pairs.length; k += 2) {
        const from = pairs[k] as number;
        const to = pairs[k + 1] as number;
        if (to >= 0 && from >= 0 && resolved[from] === 0) mask[to] = 1;
      }
      this.blocked = mask;
    }
    return this.blocked;
  }

  /** Unresolved nodes with a `blocks` edge into `i`, in edge order. */
  openBlockersAt(i: number): Array<number> {
    const pairs = this.slice.pairs('blocks');
    const blockers: Array<number> = [];
    for (const k of this.ends('blocks', i, 'in')) {
      const from = pairs[k] as number;
      if (from >= 0 && !this.isResolvedAt(from)) blockers.push(from);
    }
    return blockers;
  }

  /**
   * The unresolved questions each node is linked to by an edge of any type, either way (nodes next
   * to none are absent), in edge order. One pass over the edge pairs, asked once per view.
   */
  openQuestionsNear(): Map<number, Array<number>> {
    if (!this.nearQuestions) {
      const near = new Map<number, Array<number>>();
      const code = this.slice.code('type', 'question');
      if (code > 0) {
        const types = this.slice.column('type');
        const resolved = this.resolvedMask();
        const open = (p: number): boolean => p >= 0 && types[p] === code && resolved[p] === 0;
        const add = (node: number, q: number): void => {
          if (node < 0 || node === q) return;
          const list = near.get(node);
          if (!list) near.set(node, [q]);
          else if (!list.includes(q)) list.push(q);
        };
        for (const type of this.slice.edgeTypes()) {
          const pairs = this.slice.pairs(type);
          for (let k = 0; k < pairs.length; k += 2) {
            const from = pairs[k] as number;
            const to = pairs[k + 1] as number;
            if (open(from)) add(to, from);
            if (open(to)) add(from, to);
          }
        }
      }
      this.nearQuestions = near;
    }
    return this.nearQuestions;
  }

  /** Per position: 1 when the node has a `blocks` edge out of it. */
  blocksOutMask(): Uint8Array {
    const mask = new Uint8Array(this.slice.size);
    const pairs = this.slice.pairs('blocks');
    for (let k = 0; k < pairs.length; k += 2) if ((pairs[k] as number) >= 0) mask[pairs[k] as number] = 1;
    return mask;
  }

  /** Nodes `i` holds up through `blocks` edges, directly or through other open nodes. */
  unblocksAt(i: number): number {
    const pairs = this.slice.pairs('blocks');
    const seen = new Set<number>([i]);
    const stack = [i];
    let count = 0;
    while (stack.length > 0) {
      for (const k of this.ends('blocks', stack.pop() as number, 'out')) {
        const to = pairs[k + 1] as number;
        if (seen.has(to)) continue;
        seen.add(to);
        // A resolved node is no longer held up, so nothing beyond it is either.
        if (to < 0 || this.isResolvedAt(to)) continue;
        count += 1;
        stack.push(to);
      }
    }
    return count;
  }

  /**
   * Derived readiness (human wins), with the reasons. `nearQuestions`: the open questions one hop
   * away when the caller has them (the queue index stores them), else found here.
   */
  readinessAt(i: number, nearQuestions?: ReadonlyArray<number>): {readiness: Readiness; reasons: Array<string>} {
    const pairs = this.slice.pairs('assigned');
    const assignees = this.ends('assigned', i, 'out')
      .map((k) => pairs[k + 1] as number)
      .filter((to) => to >= 0);
    const node = this.metaAt(i);
    const human: Array<string> = [];
    if (node.requires?.includes('human')) human.push('requires human');
    for (const p of assignees) if (this.slice.typeAt(p) === 'person') human.push(`assigned to ${this.slice.idAt(p)}`);
    if (node.type === 'question' && !this.isResolvedAt(i)) human.push('open question');
    if (node.type === 'capture-pending' && !this.isResolvedAt(i)) human.push('capture awaiting triage');
    // An open question one hop away (any edge, either way) must be answered before an agent can go.
    if (node.type !== 'question')
      for (const q of nearQuestions ?? this.openQuestionsNear().get(i) ?? [])
        human.push(`open question ${this.slice.idAt(q)}`);
    if (human.length > 0) return {readiness: 'human', reasons: human};
    const agent: Array<string> = [];
    if (node.readiness === 'agent') agent.push('marked ready (spor ready)');
    for (const a of assignees) if (this.slice.typeAt(a) === 'agent') agent.push(`assigned to ${this.slice.idAt(a)}`);
    if (agent.length > 0) return {readiness: 'agent', reasons: agent};
    return {readiness: 'untriaged', reasons: ['not marked ready and not assigned']};
  }

  /** Not rejected, abandoned, superseded, retired, dismissed or deprecated, and no live `supersedes` edge into it. */
  inForceAt(i: number): boolean {
    if (isOutOfForce(this.slice.statusAt(i))) return false;
    const pairs = this.slice.pairs('supersedes');
    return !this.ends('supersedes', i, 'in').some((k) => this.liveEnd(pairs[k] as number));
  }

  /**
   * The nodes in force that replaced `i`, following live `supersedes` edges back from it (a chain
   * old → newer → newest ends at the newest in force).
   */
  successorsAt(i: number): Array<number> {
    const pairs = this.slice.pairs('supersedes');
    const found: Array<number> = [];
    const seen = new Set([i]);
    const queue = [i];
    while (queue.length > 0) {
      for (const k of this.ends('supersedes', queue.shift() as number, 'in')) {
        const from = pairs[k] as number;
        if (!this.liveEnd(from) || seen.has(from)) continue;
        seen.add(from);
        if (this.inForceAt(from)) found.push(from);
        else queue.push(from);
      }
    }
    return found;
  }

  /** The nodes linked to `i` by an edge of any type either way, with how (`blocks`, `relates-to (in)`), in edge order. */
  linksAt(i: number): Map<number, Array<string>> {
    const links = new Map<number, Array<string>>();
    const link = (other: number, how: string): void => {
      if (other === i || other < 0) return;
      const list = links.get(other);
      if (list) {
        if (!list.includes(how)) list.push(how);
      } else links.set(other, [how]);
    };
    const types = this.slice.edgeTypes();
    for (const type of types) {
      const pairs = this.slice.pairs(type);
      for (const k of this.ends(type, i, 'out')) link(pairs[k + 1] as number, type);
    }
    for (const type of types) {
      const pairs = this.slice.pairs(type);
      const how = `${type} (in)`;
      for (const k of this.ends(type, i, 'in')) link(pairs[k] as number, how);
    }
    return links;
  }

  /** The node with its text (read from the log for it, and for `prefetch` in the same pass, when first asked). */
  nodeAt(i: number, prefetch: ReadonlyArray<number> = []): GraphNode {
    let node = this.whole.get(i);
    if (!node) {
      if (!this.texts.has(i)) this.loadAt([i, ...prefetch]);
      node = {...this.metaAt(i), ...this.texts.get(i)};
      this.whole.set(i, node);
    }
    return node;
  }

  /** An edge speaks when its source is a node that is not rejected, abandoned or superseded. */
  private liveEnd(from: number): boolean {
    return from >= 0 && this.liveFrom(from);
  }

  private liveFrom(i: number): boolean {
    return !this.withdrawn()[this.slice.column('status')[i] as number];
  }

  /** By status code: does that status withdraw a node's word? */
  private withdrawn(): Array<boolean> {
    this.withdrawnCodes ??= this.slice.names('status').map((s) => isWithdrawn(s));
    return this.withdrawnCodes;
  }

  private edgeAt(type: string, pairs: Numbers, k: number): GraphEdge {
    const edge: GraphEdge = {
      from: this.slice.endpointId(pairs[k] as number),
      type,
      to: this.slice.endpointId(pairs[k + 1] as number),
    };
    if (this.slice.hasAttrs) {
      const attrs = this.slice.attrsOf(edgeKey(edge));
      if (attrs) edge.attrs = attrs;
    }
    return edge;
  }

  private edgesOf(id: string, type: string | undefined, way: 'out' | 'in'): Array<GraphEdge> {
    const end = this.slice.endpoint(id);
    if (end === undefined) return [];
    const found: Array<GraphEdge> = [];
    for (const t of type === undefined ? this.slice.edgeTypes() : [type]) {
      const pairs = this.slice.pairs(t);
      for (const k of this.ends(t, end, way)) found.push(this.edgeAt(t, pairs, k));
    }
    return found;
  }

  /**
   * The edges of `type` whose source (`out`) or target (`in`) is the endpoint `end`, as the
   * positions of their pairs (see GraphSlice.pairs), in edge order. The first questions about a
   * type are answered by searching its pairs (a native scan); past a handful, an index of the
   * type pays off and is built.
   */
  private ends(type: string, end: number, way: 'out' | 'in'): ReadonlyArray<number> {
    const index = this.typed.get(type);
    if (index) return index[way].get(end) ?? NONE;
    const asked = (this.asked.get(type) ?? 0) + 1;
    this.asked.set(type, asked);
    const pairs = this.slice.pairs(type);
    if (asked > SEARCHES_BEFORE_INDEX) {
      const built: TypedIndex = {out: new Map(), in: new Map()};
      for (let k = 0; k < pairs.length; k += 2) {
        push(built.out, pairs[k] as number, k);
        push(built.in, pairs[k + 1] as number, k);
      }
      this.typed.set(type, built);
      return built[way].get(end) ?? NONE;
    }
    const side = way === 'out' ? 0 : 1;
    const found: Array<number> = [];
    for (let at = pairs.indexOf(end); at !== -1; at = pairs.indexOf(end, at + 1))
      if ((at & 1) === side) found.push(at - side);
    return found;
  }
}
