// The graph plugin's public surface: the only file other plugins may import.
import {token} from '../../core/index.js';
import type {GraphEdge, GraphNode} from './model/model.js';
import type {GraphSlice, GraphState, NodeMeta} from './store/projection.js';
import {IndexedGraph} from './view/view.js';

export type {GraphEdge, GraphNode, GraphSlice, GraphState, NodeMeta};
export {NODE_ID, kebab, TERMINAL_STATUSES} from './model/model.js';
export {edgeKey} from './store/projection.js';

export type Readiness = 'human' | 'agent' | 'untriaged';

/**
 * The graph with its indexes and the derived rules (resolution, readiness, blocking), as of one
 * read. A node's text (summary, body, unknown import keys in `extra`) is kept in the event log
 * rather than the projected slice, so that ranking a 10,000-node graph parses only what ranking
 * needs: `node(id)` reads it on first access, `meta(id)`/`nodes()` never do, `load()` prefetches.
 */
export interface GraphView {
  /** Every node whole and every edge by `edgeKey`. Costly on a big graph (reads all text). */
  readonly state: GraphState;
  /** The node with its text, or undefined when there is no such node. */
  node(id: string): GraphNode | undefined;
  /** The node without its text (no log read). */
  meta(id: string): NodeMeta | undefined;
  /** Every node, or those of one type, without their text, in the order they were added. */
  nodes(type?: string): Array<NodeMeta>;
  /** Reads the text of these nodes (all when omitted) in one pass over the log. */
  load(ids?: Iterable<string>): void;
  /** Edges out of / into `id` (of one type when given), dangling and inert ones included. */
  outbound(id: string, type?: string): Array<GraphEdge>;
  inbound(id: string, type?: string): Array<GraphEdge>;
  /** An edge speaks when its source exists and is not rejected, abandoned or superseded. */
  isLive(edge: GraphEdge): boolean;
  /** Terminal status, or a live inbound `resolves`/`answers` edge. */
  isResolved(id: string): boolean;
  /** What resolved it (status, or the resolving node), for messages. */
  resolution(id: string): {by: 'status'; status: string} | {by: 'edge'; type: string; from: string} | undefined;
  /** Derived readiness (human wins), with the reasons. */
  readiness(id: string): {readiness: Readiness; reasons: Array<string>};
  /** Unresolved nodes with a `blocks` edge into `id`. */
  openBlockers(id: string): Array<NodeMeta>;
}

export interface QueueOptions {
  repo?: string;
  types?: Array<string>;
  excludeTypes?: Array<string>;
  limit?: number;
  /** "now" for wake dates and age (from the injected clock). */
  now: Date;
}

export interface QueueItem {
  id: string;
  type: string;
  title: string;
  repo?: string;
  priority?: string;
  score: number;
  readiness: Readiness;
  why: string;
}

export interface QueueResult {
  items: Array<QueueItem>;
  counts: {open: number; shown: number; blocked: number; dormant: number; filtered: number};
}

/** Ranks the queue. Behind a token so a user plugin can register its own ranking. */
export interface QueueRanker {
  rank(view: GraphView, opts: QueueOptions): QueueResult;
}
export const QUEUE_RANKER = token<QueueRanker>('spor.graph.QueueRanker');

export interface Brief {
  /** The node briefed, when the target was an id. */
  node?: GraphNode;
  /** Markdown text for a prompt. */
  text: string;
  /** Bytes of `text`. */
  size: number;
  /** Nodes included, by section. */
  sections: Record<string, Array<string>>;
}

export interface BriefOptions {
  full?: boolean;
  now: Date;
}

/** The most a digest briefing (`spor brief` without --full) may weigh, in bytes of UTF-8. */
export const BRIEF_DIGEST_BYTES = 4096;

/**
 * Compiles briefings; dispatch calls it. Target is a node id (an unknown id throws a RefusalError)
 * or a free-text query. The digest stays within BRIEF_DIGEST_BYTES; `full` includes everything.
 */
export interface BriefCompiler {
  compile(view: GraphView, target: {id: string} | {query: string}, opts: BriefOptions): Brief;
}
export const BRIEF_COMPILER = token<BriefCompiler>('spor.graph.BriefCompiler');

/**
 * A view over a `graph` slice as `HOST.read(['graph'])` returns it, for stubs and tests: it has
 * the indexes and rules, but no node text (that is read from the log by GRAPH_READER's views).
 * Code that has the container should use GRAPH_READER: the slice's shape is the plugin's own.
 */
export const viewOfSlice = (slice: GraphSlice): GraphView => new IndexedGraph(slice);

/** Reads the graph (projected from the log) as a view with indexes. */
export interface GraphReader {
  view(): Promise<GraphView>;
  /** A view over a `graph` slice the caller read itself (with other slices, or under the lock). */
  viewOf(slice: GraphSlice): GraphView;
}
export const GRAPH_READER = token<GraphReader>('spor.graph.GraphReader');

/**
 * Decisions other plugins compose into their own `Host.handle` over the `graph` slice (agents,
 * repo nodes): each refuses bad input and returns the graph events to append.
 */
export {addEdge, addNode, metaIn, need, nodesOfType, targetsOf, updateNode} from './model/decide.js';
export {checkId, deriveId} from './model/ids.js';

/**
 * A view over whole nodes and edges kept somewhere other than this machine's log (the team
 * server's store), with the same indexes and rules; `node(id)` has no text (the caller has it).
 */
export const viewOfState = (state: GraphState): GraphView =>
  // IndexedGraph.of reads only `state` of a view it did not build.
  IndexedGraph.of({state} as unknown as GraphView);

/** Node types, edge types and priorities the graph acts on. */
export {NODE_TYPES, EDGE_TYPES, PRIORITIES} from './model/model.js';
/** One Spor-format markdown node (frontmatter + body), as `spor import` reads a file. */
export {parseNodeFile, type Parsed as ParsedNodeFile, type YamlParse} from './import/parse.js';

export {markdownFiles} from './import/files.js';
export {planImport, type FileReport, type ImportPlan, type Outcome as ImportOutcome} from './import/plan.js';
import type {FileReport, Outcome} from './import/plan.js';

/** One thing a home import brought across (or did not), for the report. */
export interface HomeImportLine {
  /** The reference's key (`dispatch.repos.web`, `dispatch.agent`, …). */
  key: string;
  outcome: 'imported' | 'unchanged' | 'kept' | 'skipped';
  detail: string;
}

/** What `spor import --from <home>` did. */
export interface HomeImportReport {
  home: string;
  /** The graph under `nodes/`, file by file (as `spor import <dir>` reports it). */
  nodes: {files: Array<FileReport>; counts: Record<Outcome, number>; events: number};
  /** The machine settings of `config.json`, key by key. */
  settings: Array<HomeImportLine>;
  /** Values recorded but not applied: commands to run wait for this machine's approval. */
  pending: Array<{key: string; value: string; why: string; apply: string}>;
  /** Events appended in all (one batch). */
  events: number;
}

/**
 * Brings a reference Spor CLI home (`config.json`, `nodes/*.md`) across as events of the plugins
 * that own them, in one append; `spor import --from` calls it. Provided by the `migrate` plugin.
 */
export interface HomeImporter {
  importHome(home: string): Promise<HomeImportReport>;
  /** A line for `spor doctor` when `home` holds a `config.json` not imported as it is now; else undefined. */
  unimported(home: string): Promise<string | undefined>;
}

export const HOME_IMPORTER = token<HomeImporter>('spor.graph.HomeImporter');
