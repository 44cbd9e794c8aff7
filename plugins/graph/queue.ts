import type {NodeMeta} from './projection.js';
import {QUEUE_TYPES, ageInDays, isDormant, priorityWeight} from './rules.js';
import type {GraphView, QueueItem, QueueOptions, QueueRanker, QueueResult} from './tokens.js';

/** Nodes `id` holds up through `blocks` edges, directly or through other open nodes. */
export const openDownstream = (view: GraphView, id: string): number => {
  // Most items block nothing: answer them without building the walk.
  if (view.outbound(id, 'blocks').length === 0) return 0;
  const seen = new Set<string>([id]);
  const stack = [id];
  let count = 0;
  while (stack.length > 0) {
    for (const e of view.outbound(stack.pop() as string, 'blocks')) {
      if (seen.has(e.to)) continue;
      seen.add(e.to);
      // A resolved node is no longer held up, so nothing beyond it is either.
      if (view.meta(e.to) === undefined || view.isResolved(e.to)) continue;
      count += 1;
      stack.push(e.to);
    }
  }
  return count;
};

const CAP = 999;

/**
 * Priority dominates, then how many open nodes the item unblocks, then age: each term is capped
 * below the next one's unit, so the score orders exactly as the rule reads.
 */
export const scoreOf = (priority: string | undefined, unblocks: number, ageDays: number): number =>
  priorityWeight(priority) * 1_000_000 + Math.min(unblocks, CAP) * 1_000 + Math.min(ageDays, CAP);

const days = (n: number): string => (n === 0 ? 'new today' : n === 1 ? '1 day old' : `${n} days old`);

export const whyOf = (priority: string | undefined, unblocks: number, ageDays: number): string =>
  [priority ?? 'no priority', ...(unblocks > 0 ? [`unblocks ${unblocks}`] : []), days(ageDays)].join(' · ');

interface Ranked { node: NodeMeta; unblocks: number; age: number; score: number }

const before = (a: Ranked, b: Ranked): number => b.score - a.score || b.age - a.age || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0);

/** The first `k` in rank order. A short list is picked in one pass rather than sorting them all. */
const best = (ranked: Array<Ranked>, k: number): Array<Ranked> => {
  if (k * 8 >= ranked.length) return ranked.sort(before).slice(0, k);
  const top: Array<Ranked> = [];
  for (const r of ranked) {
    if (top.length === k && before(r, top[k - 1] as Ranked) >= 0) continue;
    let i = Math.min(top.length, k - 1);
    while (i > 0 && before(r, top[i - 1] as Ranked) < 0) i -= 1;
    top.splice(i, 0, r);
    if (top.length > k) top.pop();
  }
  return top;
};

/**
 * The default QUEUE_RANKER. Only open, unresolved task/issue/question nodes count. They are
 * filtered (repo, types) first, then hidden when blocked (an unresolved `blocks` edge into them)
 * or else dormant (`wake` ahead of now); each hidden kind is counted. Ties go to the older, then
 * to the smaller id, so the order is stable.
 */
export const defaultRanker: QueueRanker = {
  rank(view: GraphView, opts: QueueOptions): QueueResult {
    const counts = {open: 0, shown: 0, blocked: 0, dormant: 0, filtered: 0};
    const ranked: Array<Ranked> = [];
    for (const type of QUEUE_TYPES) {
      for (const node of view.nodes(type)) {
        if (view.isResolved(node.id)) continue;
        counts.open += 1;
        if ((opts.repo !== undefined && node.repo !== opts.repo)
          || (opts.types && opts.types.length > 0 && !opts.types.includes(node.type))
          || opts.excludeTypes?.includes(node.type)) {
          counts.filtered += 1;
        } else if (view.openBlockers(node.id).length > 0) {
          counts.blocked += 1;
        } else if (isDormant(node.wake, opts.now)) {
          counts.dormant += 1;
        } else {
          const unblocks = openDownstream(view, node.id);
          const age = ageInDays(node.created, opts.now);
          ranked.push({node, unblocks, age, score: scoreOf(node.priority, unblocks, age)});
        }
      }
    }
    const shown = best(ranked, opts.limit !== undefined && opts.limit > 0 ? opts.limit : ranked.length);
    const items = shown.map(({node, unblocks, age, score}): QueueItem => ({
      id: node.id,
      type: node.type,
      title: node.title,
      repo: node.repo,
      priority: node.priority,
      score,
      readiness: view.readiness(node.id).readiness,
      why: whyOf(node.priority, unblocks, age),
    }));
    counts.shown = items.length;
    return {items, counts};
  },
};
