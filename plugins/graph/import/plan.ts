import type {EventDraft} from '../../../core/index.js';
import type {EdgeAdded, NodeAdded, NodeUpdated} from '../model/events.js';
import type {GraphEdge, GraphNode, NodeFields} from '../model/model.js';
import type {Parsed, ParsedNode} from './parse.js';
import type {GraphView} from '../api.js';

export type Outcome = 'imported' | 'updated' | 'unchanged' | 'skipped';

/** What the import did with one file. */
export interface FileReport {
  file: string;
  id?: string;
  outcome: Outcome;
  /** Why a file was skipped. */
  reason?: string;
  /** For an update: the fields that changed and the edges added. */
  changes?: Array<string>;
  /** Things in the file that were kept aside or left out. */
  notes?: Array<string>;
}

export interface ImportPlan {
  drafts: Array<EventDraft<NodeAdded | NodeUpdated | EdgeAdded>>;
  files: Array<FileReport>;
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : value,
  );

const sameAttrs = (a: GraphEdge['attrs'], b: GraphEdge['attrs']): boolean => canonical(a ?? {}) === canonical(b ?? {});

/**
 * Turns parsed files into events against the current graph: a new id is a `node-added` (with
 * `created` from the file's date, else now); a known id gets a `node-updated` with the fields the
 * file states that differ (fields it does not state are left alone, so what was set with spor
 * commands survives a re-import); edges the file lists that the graph lacks are added, and none
 * is removed. The same files again plan nothing. A second file with an id already in this import
 * is skipped.
 */
export const planImport = (parsed: ReadonlyArray<Parsed>, view: GraphView, now: string): ImportPlan => {
  const nodeDrafts: ImportPlan['drafts'] = [];
  const edgeDrafts: ImportPlan['drafts'] = [];
  // One report per file, in the order the files came.
  const files: Array<FileReport> = parsed.map((p) =>
    p.ok ? {file: p.value.file, outcome: 'unchanged'} : {file: p.file, outcome: 'skipped', reason: p.reason},
  );
  const firstFile = new Map<string, string>();
  const accepted: Array<ParsedNode & {slot: number}> = [];
  parsed.forEach((p, slot) => {
    if (!p.ok) return;
    const earlier = firstFile.get(p.value.node.id);
    if (earlier !== undefined) {
      files[slot] = {
        file: p.value.file,
        id: p.value.node.id,
        outcome: 'skipped',
        reason: `id '${p.value.node.id}' is also in ${earlier}, which was imported`,
      };
      return;
    }
    firstFile.set(p.value.node.id, p.value.file);
    accepted.push({...p.value, slot});
  });
  view.load(accepted.map((a) => a.node.id).filter((id) => view.meta(id) !== undefined));

  for (const {file, node, edges, notes, slot} of accepted) {
    const existing = view.node(node.id);
    const newEdges = edges.filter((e) => {
      const current = existing ? view.outbound(node.id, e.type).find((o) => o.to === e.to) : undefined;
      return current === undefined || !sameAttrs(current.attrs, e.attrs);
    });
    edgeDrafts.push(...newEdges.map((edge): EventDraft<EdgeAdded> => ({type: 'edge-added', data: {edge}})));
    const withNotes = notes.length > 0 ? {notes} : {};
    if (!existing) {
      nodeDrafts.push({type: 'node-added', data: {node: {...node, created: node.created === '' ? now : node.created}}});
      files[slot] = {file, id: node.id, outcome: 'imported', ...withNotes};
      continue;
    }
    const set: Partial<NodeFields> = {};
    for (const [key, value] of Object.entries(node) as Array<[keyof GraphNode, unknown]>) {
      if (key === 'id' || key === 'created') continue;
      if (canonical(existing[key]) !== canonical(value)) (set as Record<string, unknown>)[key] = value;
    }
    const changes = [
      ...Object.keys(set),
      ...(newEdges.length > 0 ? [`+${newEdges.length} edge${newEdges.length === 1 ? '' : 's'}`] : []),
    ];
    if (Object.keys(set).length > 0) nodeDrafts.push({type: 'node-updated', data: {id: node.id, set}});
    files[slot] =
      changes.length > 0
        ? {file, id: node.id, outcome: 'updated', changes, ...withNotes}
        : {file, id: node.id, outcome: 'unchanged', ...withNotes};
  }
  return {drafts: [...nodeDrafts, ...edgeDrafts], files};
};
