import {QUEUE_RANKER, type GraphView, type QueueItem} from '../../graph/api.js';
import {resolve, type Container} from '../../../core/index.js';
import type {Viewer} from '../http/route.js';
import type {TeamReader} from '../store/contract.js';
import type {NodeRecord} from '../store/records.js';
import {viewOf} from './graph.js';

/** The whole graph as records and a view, cached per store while no node changes. */
interface Snapshot {
  key: string | undefined;
  records: Array<NodeRecord>;
  byId: Map<string, NodeRecord>;
  view: GraphView;
}
const snapshots = new WeakMap<object, Snapshot>();

export const graphSnapshot = async (store: TeamReader): Promise<Snapshot> => {
  const key = await store.graphKey();
  const cached = snapshots.get(store);
  if (cached && key !== undefined && cached.key === key) return cached;
  const records = await store.nodes();
  const snapshot = {key, records, byId: new Map(records.map((r) => [r.node.id, r])), view: viewOf(records)};
  snapshots.set(store, snapshot);
  return snapshot;
};

export interface QueueQuery {
  project?: string;
  assignee?: string;
  types: Array<string>;
  excludeTypes: Array<string>;
  limit: number;
  offset: number;
}

/** A project filter as the contract spells it: `repo-<slug>`, `proj-<slug>` or a bare slug. */
const repoOf = (project: string): string => project.replace(/^(repo|proj)-/, '');

const countBy = (items: ReadonlyArray<QueueItem>, key: (i: QueueItem) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
};

/**
 * The ranked queue (the graph plugin's QUEUE_RANKER over the team graph), filtered, counted over
 * the whole ranked set and paged; with the caller's routed views beside it.
 */
export const queueOf = async (
  store: TeamReader,
  container: Container,
  viewer: Viewer,
  q: QueueQuery,
  now: Date,
): Promise<Record<string, unknown>> => {
  const {records, byId, view} = await graphSnapshot(store);
  const ranked = resolve(container, QUEUE_RANKER).rank(view, {
    ...(q.project === undefined ? {} : {repo: repoOf(q.project)}),
    ...(q.types.length > 0 ? {types: q.types} : {}),
    ...(q.excludeTypes.length > 0 ? {excludeTypes: q.excludeTypes} : {}),
    now,
  });
  const assignee = q.assignee === 'me' ? viewer.person : q.assignee;
  const carries = (id: string): boolean => {
    const node = byId.get(id)?.node;
    return (
      node?.edges.some(
        (e) =>
          (e.type === 'assigned' || e.type === 'stewards') && (e.to === assignee || byId.get(e.to)?.owner === assignee),
      ) === true
    );
  };
  const all = assignee === undefined ? ranked.items : ranked.items.filter((i) => carries(i.id));
  const page = all.slice(q.offset, q.offset + q.limit);
  const end = q.offset + page.length;
  const open = (r: NodeRecord): boolean => !view.isResolved(r.node.id);
  const routedTo = (r: NodeRecord): Array<string> =>
    r.node.edges.filter((e) => e.type === 'assigned').map((e) => byId.get(e.to)?.owner ?? e.to);
  const brief = (r: NodeRecord): Record<string, unknown> => ({
    id: r.node.id,
    type: r.node.type,
    title: r.node.title,
    ...(r.node.repo ? {project: r.node.repo} : {}),
  });
  const questions = records.filter((r) => r.node.type === 'question' && open(r));
  return {
    items: page.map((i) => ({...i, ...(i.repo ? {project: i.repo} : {})})),
    count: page.length,
    offset: q.offset,
    returned_count: page.length,
    total_count: all.length,
    truncated: end < all.length,
    next_offset: end < all.length ? end : null,
    counts_by_type: countBy(all, (i) => i.type),
    counts_by_project: countBy(all, (i) => i.repo ?? '(none)'),
    counts_by_suggest: countBy(all, (i) => i.readiness),
    blocked: ranked.counts.blocked,
    dormant: ranked.counts.dormant,
    questions: questions
      .filter((r) => {
        const to = routedTo(r);
        return to.length === 0 || to.includes(viewer.person);
      })
      .map(brief),
    asked: questions.filter((r) => r.node.author === viewer.person).map(brief),
    findings: [],
    pending: [],
    reviews: records
      .filter((r) => open(r) && r.node.edges.some((e) => e.type === 'review-requested' && e.to === viewer.person))
      .map(brief),
    generated_at: now.toISOString(),
  };
};
