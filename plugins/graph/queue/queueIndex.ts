import {QUEUE_TYPES, priorityWeight} from '../model/rules.js';
import type {IndexedGraph} from '../view/view.js';

const CAP = 999;

/**
 * The part of an item's score that does not depend on the day: priority dominates, then how many
 * open nodes it unblocks (capped below the next term's unit).
 */
export const weightOf = (priority: string | undefined, unblocks: number): number =>
  priorityWeight(priority) * 1_000_000 + Math.min(unblocks, CAP) * 1_000;

/** The whole score: the weight, then age in days (capped), so the score orders exactly as the rule reads. */
export const scoreOf = (priority: string | undefined, unblocks: number, ageDays: number): number =>
  weightOf(priority, unblocks) + Math.min(ageDays, CAP);

/**
 * The time-independent half of the default ranking: every open, unresolved task, issue and
 * question, by position, best first as far as that can be known without the day — by weight,
 * then the oldest `created` (a node whose `created` is no date counts as newest), then position.
 * Age in days only falls along that order, so a reader takes items from its front and needs to
 * re-sort (by age, then id) only runs of equal weight and equal age. Per entry: whether an
 * unresolved node blocks it, and how many it unblocks.
 */
export interface QueueIndex {
  v: typeof FORMAT;
  order: Array<number>;
  blocked: Array<0 | 1>;
  unblocks: Array<number>;
  /** The unresolved questions one hop from each entry (readiness: human), by position. */
  questions: Array<Array<number>>;
}

// 2: findings and captures are queued (an index stored by format 1 left them out); 3: the open
// questions near each entry, so ranking needs no pass over every edge type to judge readiness.
const FORMAT = 3;

/** Computes the index from a view (the slow path: after the slice changed, and when it is stored). */
export const computeQueueIndex = (view: IndexedGraph): QueueIndex => {
  const {slice} = view;
  const typeCodes = slice.column('type');
  const queued = slice.names('type').map((t) => QUEUE_TYPES.includes(t));
  const resolved = view.resolvedMask();
  const blockedMask = view.blockedMask();
  const blocksOut = view.blocksOutMask();
  const priorities = slice.column('priority');
  const priorityNames = slice.names('priority');
  const open: Array<number> = [];
  for (let i = 0; i < typeCodes.length; i += 1) if (queued[typeCodes[i] as number] && resolved[i] === 0) open.push(i);
  const weight = new Float64Array(slice.size);
  const created = new Float64Array(slice.size);
  const unblocksAt = new Int32Array(slice.size);
  for (const i of open) {
    const unblocks = blocksOut[i] === 1 ? view.unblocksAt(i) : 0;
    unblocksAt[i] = unblocks;
    weight[i] = weightOf(priorityNames[priorities[i] as number] || undefined, unblocks);
    created[i] = slice.createdMsAt(i) ?? Number.POSITIVE_INFINITY;
  }
  open.sort(
    (a, b) => (weight[b] as number) - (weight[a] as number) || (created[a] as number) - (created[b] as number) || a - b,
  );
  return {
    v: FORMAT,
    order: open,
    blocked: open.map((i) => (blockedMask[i] === 1 ? 1 : 0)),
    unblocks: open.map((i) => unblocksAt[i] as number),
    questions: ((near) => open.map((i) => near.get(i) ?? []))(view.openQuestionsNear()),
  };
};

const isIndex = (v: unknown): v is QueueIndex => {
  const x = v as Partial<QueueIndex> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    x.v === FORMAT &&
    Array.isArray(x.order) &&
    Array.isArray(x.blocked) &&
    Array.isArray(x.unblocks) &&
    Array.isArray(x.questions) &&
    x.questions.length === x.order.length &&
    x.blocked.length === x.order.length &&
    x.unblocks.length === x.order.length
  );
};

const stored = new WeakMap<IndexedGraph, QueueIndex>();

/**
 * The queue index of a view: the one stored with its slice when the slice has not changed since
 * it was read, else computed (once per view).
 */
export const queueIndexOf = (view: IndexedGraph): QueueIndex => {
  let index = stored.get(view);
  if (!index) {
    const part = view.slice.derivedPart('queue');
    let read: unknown;
    try {
      read = part === undefined ? undefined : JSON.parse(part.toString('utf8'));
    } catch {
      read = undefined;
    }
    index = isIndex(read) ? read : computeQueueIndex(view);
    stored.set(view, index);
  }
  return index;
};
