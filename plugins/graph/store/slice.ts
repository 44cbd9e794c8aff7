import {ListColumn, NumberColumn, TextColumn, base64Length, type Numbers, type Part} from './columns.js';
import type {RecordRef} from '../../../core/index.js';
import type {GraphNode} from '../model/model.js';

/** The fields of a node kept in the event log only (read on demand), not in the slice. */
export const TEXT_FIELDS = ['summary', 'body', 'extra'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** A node without its text: everything the rules, the queue and listings need. */
export type NodeMeta = Omit<GraphNode, TextField>;

/** A node's text, as folded from the events that carry it. */
export type NodeText = Pick<GraphNode, TextField>;

/** An event that carries node text: its seq, and where its record lies in the log (start -1: unknown). */
export type TextRef = RecordRef;

/** Small fields every node has a slot for; the others go to its `more` record. */
const CODED = ['type', 'status', 'priority', 'repo'] as const;
type Coded = (typeof CODED)[number];
const FIXED = new Set<string>(['id', 'title', 'created', 'wake', ...CODED, ...TEXT_FIELDS]);

/**
 * One edge type's edges as a flat list of endpoint pairs `[from, to, from, to, …]`, in the order
 * they were added. An endpoint is a node's position, or `-(g + 1)` for the g-th ghost: an id no
 * node has (an import may link to nodes it does not bring).
 */
class EdgeList {
  private keys?: Set<string>;
  constructor(private readonly list: NumberColumn) {}
  pairs(): Numbers {
    return this.list.view();
  }
  private keySet(): Set<string> {
    if (!this.keys) {
      const p = this.pairs();
      const keys = new Set<string>();
      for (let k = 0; k < p.length; k += 2) keys.add(`${p[k]} ${p[k + 1]}`);
      this.keys = keys;
    }
    return this.keys;
  }
  has(from: number, to: number): boolean {
    return this.keySet().has(`${from} ${to}`);
  }
  add(from: number, to: number): void {
    if (this.has(from, to)) return;
    this.keys?.add(`${from} ${to}`);
    this.list.edit().push(from, to);
  }
  remove(from: number, to: number): boolean {
    if (!this.has(from, to)) return false;
    this.keys?.delete(`${from} ${to}`);
    const p = this.list.edit();
    for (let k = 0; k < p.length; k += 2)
      if (p[k] === from && p[k + 1] === to) {
        p.splice(k, 2);
        break;
      }
    return true;
  }
  /** Points every endpoint `was` at `now` (a ghost that became a node). */
  repoint(was: number, now: number): void {
    const p = this.list.edit();
    for (let k = 0; k < p.length; k += 1) if (p[k] === was) p[k] = now;
    this.keys = undefined;
  }
  encode(): string {
    return this.list.encode();
  }
}

/** What is stored of a graph slice outside its parts: small, and read by every command. */
export interface StoredHead {
  n: number;
  /** The distinct values of each coded field; code 0 is "unset". */
  dict: Record<Coded, Array<string>>;
  codes: Record<Coded, Array<number>>;
  wake: Record<string, string>;
  more: Record<string, Record<string, unknown>>;
  /** Edge types, in the order their first edge was added. */
  edgeTypes: Array<string>;
  ghosts: Array<string>;
  attrs: Record<string, Record<string, string>>;
}

const NO_PAIRS: Numbers = [];

// A briefing looks up a handful of ids; building the index of 10,000 costs more than that many searches.
const SEARCHES_BEFORE_INDEX = 16;

const emptyDict = (): Record<Coded, Array<string>> => ({type: [''], status: [''], priority: [''], repo: ['']});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Refuses a stored slice that does not hang together (the projector then rebuilds it from the
 * log): a missing part, or columns that do not cover every node. Parts are decoded when first
 * read, so what can be checked without decoding them is checked here.
 */
const checkStored = (head: StoredHead, part: (name: string) => Part): void => {
  const ok =
    Number.isInteger(head.n) &&
    isObject(head.dict) &&
    isObject(head.codes) &&
    isObject(head.wake) &&
    isObject(head.more) &&
    Array.isArray(head.edgeTypes) &&
    Array.isArray(head.ghosts) &&
    isObject(head.attrs) &&
    CODED.every(
      (f) => Array.isArray(head.dict[f]) && Array.isArray(head.codes[f]) && head.codes[f].length === head.n,
    ) &&
    ['ids', 'titles', 'created', 'text', ...head.edgeTypes.map((t) => `edges.${t}`)].every(
      (name) => part(name) !== undefined,
    ) &&
    ['ids.starts', 'titles.starts', 'created.starts', 'text.starts'].every(
      (name) => part(name)?.length === base64Length(head.n + 1, 'i32'),
    ) &&
    part('createdMs')?.length === base64Length(head.n, 'f64');
  if (!ok) throw new Error('the stored graph slice is incomplete');
};

/**
 * The `graph` slice: nodes as columns (by position, in the order they were first added) and
 * edges as position pairs. Every `spor next` and `spor brief` reads it, so its snapshot is built
 * for reading little: a small head (coded fields, sparse ones) parsed at once, and parts (ids,
 * titles, creation times, text seqs, the edges of each type) decoded only when asked for. Node
 * text (summary, body, unknown import keys) stays in the log and is found by the seqs kept per
 * node. The fold updates it in place; read it through GRAPH_READER's views or the helpers in
 * decide.ts, never by its fields.
 */
export class GraphSlice {
  private n: number;
  private readonly dict: Record<Coded, Array<string>>;
  private readonly codeOf: Partial<Record<Coded, Map<string, number>>> = {};
  private readonly codes: Record<Coded, Array<number>>;
  private readonly wake: Record<string, string>;
  private readonly more: Record<string, Record<string, unknown>>;
  private readonly ids: TextColumn;
  private readonly titles: TextColumn;
  private readonly created: TextColumn;
  private readonly createdMs: NumberColumn;
  /** Per node: its TextRefs, flat (`[seq, start, length, …]`). */
  private readonly text: ListColumn;
  private readonly edges = new Map<string, EdgeList>();
  private readonly ghosts: Array<string>;
  private ghostAt?: Map<string, number>;
  private readonly attrs: Record<string, Record<string, string>>;
  private positions?: Map<string, number>;
  private searches = 0;
  private readonly storedPart: (name: string) => Part;
  private changed = false;

  constructor(head?: StoredHead, part: (name: string) => Part = () => undefined) {
    if (head) checkStored(head, part);
    this.n = head?.n ?? 0;
    this.dict = head?.dict ?? emptyDict();
    this.codes = head?.codes ?? {type: [], status: [], priority: [], repo: []};
    this.wake = head?.wake ?? {};
    this.more = head?.more ?? {};
    const stored = (name: string): Part => (head ? part(name) : undefined);
    this.ids = new TextColumn(stored('ids'), stored('ids.starts'));
    this.titles = new TextColumn(stored('titles'), stored('titles.starts'));
    this.created = new TextColumn(stored('created'), stored('created.starts'));
    this.createdMs = new NumberColumn('f64', stored('createdMs'));
    this.text = new ListColumn(stored('text'), stored('text.starts'));
    for (const type of head?.edgeTypes ?? [])
      this.edges.set(type, new EdgeList(new NumberColumn('i32', part(`edges.${type}`))));
    this.ghosts = head?.ghosts ?? [];
    this.attrs = head?.attrs ?? {};
    this.storedPart = part;
  }

  /**
   * A value computed from the slice (the queue's order: see codec.ts) and stored with it, as it
   * was stored: undefined once the slice has changed since it was read, or when none was stored.
   */
  derivedPart(name: string): Buffer | undefined {
    return this.changed ? undefined : this.storedPart(`derived.${name}`);
  }

  /** Every change to the slice goes through here first: what was derived from it no longer holds. */
  private change(): void {
    this.changed = true;
  }

  /** How many nodes; positions run from 0 to size - 1. */
  get size(): number {
    return this.n;
  }

  /**
   * The position of the node with this id, or undefined. The first few lookups search the stored
   * ids; past that, or once they are decoded, an index of every id is built.
   */
  indexOf(id: string): number | undefined {
    if (!this.positions && !this.ids.decoded && (this.searches += 1) <= SEARCHES_BEFORE_INDEX) return this.ids.find(id);
    return this.positionMap().get(id);
  }

  idAt(i: number): string {
    return this.ids.at(i);
  }
  titleAt(i: number): string {
    return this.titles.at(i);
  }
  createdAt(i: number): string {
    return this.created.at(i);
  }
  /** `created` as epoch milliseconds, or null when it is not a date. */
  createdMsAt(i: number): number | null {
    const ms = this.createdMs.view()[i] ?? Number.NaN;
    return Number.isNaN(ms) ? null : ms;
  }
  /** The nodes that have a wake date: [position, date]. */
  wakes(): Array<[number, string]> {
    return Object.entries(this.wake).map(([i, w]) => [Number(i), w]);
  }
  typeAt(i: number): string {
    return this.valueAt('type', i) as string;
  }
  statusAt(i: number): string | undefined {
    return this.valueAt('status', i);
  }
  priorityAt(i: number): string | undefined {
    return this.valueAt('priority', i);
  }
  repoAt(i: number): string | undefined {
    return this.valueAt('repo', i);
  }
  wakeAt(i: number): string | undefined {
    return this.wake[i];
  }
  /** The node's small fields that have no column of their own (requires, tags, …). */
  moreAt(i: number): Readonly<Record<string, unknown>> | undefined {
    return this.more[i];
  }
  /** The events that carry the node's text, oldest first, with where they lie in the log. */
  textRefsAt(i: number): Array<TextRef> {
    const flat = this.text.at(i);
    const refs: Array<TextRef> = [];
    for (let k = 0; k + 2 < flat.length; k += 3)
      refs.push({seq: flat[k] as number, start: flat[k + 1] as number, length: flat[k + 2] as number});
    return refs;
  }

  /** Code of a coded field's value (0 for unset), or -1 when no node has it. */
  code(field: Coded, value: string | undefined): number {
    if (value === undefined) return 0;
    return this.codeMap(field).get(value) ?? -1;
  }
  /** The coded field of every node, by position (read-only). */
  column(field: Coded): ReadonlyArray<number> {
    return this.codes[field];
  }
  /** The values behind a coded field's codes. */
  names(field: Coded): ReadonlyArray<string> {
    return this.dict[field];
  }

  /** The node without its text. */
  metaAt(i: number): NodeMeta {
    // One object literal (one shape for every node) is much cheaper than adding keys one by one.
    const meta: NodeMeta = {
      id: this.idAt(i),
      type: this.typeAt(i),
      title: this.titleAt(i),
      created: this.createdAt(i),
      status: this.statusAt(i),
      priority: this.priorityAt(i) as NodeMeta['priority'],
      repo: this.repoAt(i),
      wake: this.wakeAt(i),
    };
    const more = this.more[i];
    return more ? Object.assign(meta, more) : meta;
  }

  /** Edge types that have edges, in the order their first edge (since they last had none) was added. */
  edgeTypes(): Array<string> {
    return [...this.edges.keys()];
  }
  /** One type's edges as endpoint pairs (see EdgeList); empty when there are none. */
  pairs(type: string): Numbers {
    return this.edges.get(type)?.pairs() ?? NO_PAIRS;
  }
  /** The endpoint an id is, in edges: its node's position, or its ghost's; undefined when no edge names it. */
  endpoint(id: string): number | undefined {
    return this.endpointOf(id, false);
  }
  /** The id an endpoint names. */
  endpointId(end: number): string {
    return end >= 0 ? this.idAt(end) : (this.ghosts[-end - 1] as string);
  }
  hasEdge(from: string, type: string, to: string): boolean {
    const list = this.edges.get(type);
    const f = this.endpointOf(from, false);
    const t = this.endpointOf(to, false);
    return list !== undefined && f !== undefined && t !== undefined && list.has(f, t);
  }
  /** An edge's attributes, by `edgeKey`. */
  attrsOf(key: string): Record<string, string> | undefined {
    return Object.hasOwn(this.attrs, key) ? this.attrs[key] : undefined;
  }
  get hasAttrs(): boolean {
    return Object.keys(this.attrs).length > 0;
  }

  // ---- the fold (graphProjection) ----

  /** Adds a node, or replaces the one with its id; `textSeq` is the event that carries its text. */
  putNode(node: GraphNode | NodeMeta, text: ReadonlyArray<TextRef>): void {
    this.change();
    const known = this.indexOf(node.id);
    const i = known ?? this.n;
    if (known === undefined) {
      this.n += 1;
      this.positionMap().set(node.id, i);
      this.ids.set(i, node.id);
    }
    this.titles.set(i, node.title);
    this.created.set(i, node.created);
    this.createdMs.edit()[i] = Date.parse(node.created);
    for (const f of CODED) this.codes[f][i] = this.codeFor(f, node[f]);
    if (node.wake === undefined) delete this.wake[i];
    else this.wake[i] = node.wake;
    const more: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (!FIXED.has(k) && v !== undefined) more[k] = v;
    if (Object.keys(more).length > 0) this.more[i] = more;
    else delete this.more[i];
    this.text.set(
      i,
      text.flatMap((r) => [r.seq, r.start, r.length]),
    );
    if (known === undefined) this.adoptGhost(node.id, i);
  }

  addEdge(from: string, type: string, to: string, attrs: Record<string, string> | undefined, key: string): void {
    this.change();
    let list = this.edges.get(type);
    if (!list) {
      list = new EdgeList(new NumberColumn('i32'));
      this.edges.set(type, list);
    }
    list.add(this.endpointOf(from, true) as number, this.endpointOf(to, true) as number);
    if (attrs && Object.keys(attrs).length > 0) this.attrs[key] = attrs;
    else delete this.attrs[key];
  }

  removeEdge(from: string, type: string, to: string, key: string): void {
    this.change();
    const f = this.endpointOf(from, false);
    const t = this.endpointOf(to, false);
    const list = this.edges.get(type);
    // A type whose last edge goes is dropped, so a later edge of it lists the type last again.
    if (list && f !== undefined && t !== undefined && list.remove(f, t) && list.pairs().length === 0)
      this.edges.delete(type);
    delete this.attrs[key];
  }

  // ---- storage ----

  encode(): {head: StoredHead; parts: Record<string, string>} {
    const parts: Record<string, string> = {};
    for (const [name, column] of [
      ['ids', this.ids],
      ['titles', this.titles],
      ['created', this.created],
    ] as const) {
      [parts[name], parts[`${name}.starts`]] = column.encode();
    }
    parts.createdMs = this.createdMs.encode();
    [parts.text, parts['text.starts']] = this.text.encode(this.n);
    const edgeTypes = this.edgeTypes();
    for (const type of edgeTypes) parts[`edges.${type}`] = (this.edges.get(type) as EdgeList).encode();
    return {
      head: {
        n: this.n,
        dict: this.dict,
        codes: this.codes,
        wake: this.wake,
        more: this.more,
        edgeTypes,
        ghosts: this.ghosts,
        attrs: this.attrs,
      },
      parts,
    };
  }

  private valueAt(field: Coded, i: number): string | undefined {
    const code = this.codes[field][i] ?? 0;
    return code === 0 ? undefined : this.dict[field][code];
  }

  private codeMap(field: Coded): Map<string, number> {
    let map = this.codeOf[field];
    if (!map) {
      map = new Map(this.dict[field].map((v, c) => [v, c]));
      this.codeOf[field] = map;
    }
    return map;
  }

  private codeFor(field: Coded, value: string | undefined): number {
    if (value === undefined || value === '') return 0;
    const map = this.codeMap(field);
    let code = map.get(value);
    if (code === undefined) {
      code = this.dict[field].length;
      this.dict[field].push(value);
      map.set(value, code);
    }
    return code;
  }

  private positionMap(): Map<string, number> {
    if (!this.positions) {
      const ids = this.ids.all();
      const map = new Map<string, number>();
      for (let i = 0; i < ids.length; i += 1) map.set(ids[i] as string, i);
      this.positions = map;
    }
    return this.positions;
  }

  private ghostMap(): Map<string, number> {
    this.ghostAt ??= new Map(this.ghosts.map((g, k) => [g, k]));
    return this.ghostAt;
  }

  /** The endpoint for an id: its node's position, else its ghost (made when `make`). */
  private endpointOf(id: string, make: boolean): number | undefined {
    const i = this.indexOf(id);
    if (i !== undefined) return i;
    let g = this.ghostMap().get(id);
    if (g === undefined) {
      if (!make) return undefined;
      g = this.ghosts.length;
      this.ghosts.push(id);
      this.ghostMap().set(id, g);
    }
    return -g - 1;
  }

  /** A node arrived with an id edges already named: they now point at it. */
  private adoptGhost(id: string, i: number): void {
    const g = this.ghostMap().get(id);
    if (g === undefined) return;
    for (const list of this.edges.values()) list.repoint(-g - 1, i);
    // The ghost's slot stays (other ghosts keep their numbers) but no longer names anyone.
    this.ghosts[g] = '';
    this.ghostMap().delete(id);
  }
}
