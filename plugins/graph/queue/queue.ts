import {queueIndexOf, scoreOf} from './queueIndex.js';
import {ageInDays, isDormant} from '../model/rules.js';
import type {GraphView, QueueItem, QueueOptions, QueueRanker, QueueResult} from '../api.js';
import {IndexedGraph} from '../view/view.js';

export {scoreOf};

const days = (n: number): string => (n === 0 ? 'new today' : n === 1 ? '1 day old' : `${n} days old`);

export const whyOf = (priority: string | undefined, unblocks: number, ageDays: number): string =>
  [priority ?? 'no priority', ...(unblocks > 0 ? [`unblocks ${unblocks}`] : []), days(ageDays)].join(' · ');

/** One item that made the list, with its terms as of now. */
interface Ranked {
  i: number;
  /** Its entry in the queue index. */
  e: number;
  priority: string | undefined;
  unblocks: number;
  age: number;
  score: number;
  id: string;
}

/** Rank order: score, then the older, then the smaller id (so the order is total and stable). */
const before = (a: Ranked, b: Ranked): number =>
  b.score - a.score || b.age - a.age || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The default QUEUE_RANKER. Only open, unresolved task/issue/question nodes count. They are
 * filtered (repo, types) first, then hidden when blocked (an unresolved `blocks` edge into them)
 * or else dormant (`wake` ahead of now); each hidden kind is counted. Priority dominates, then
 * how many open nodes an item unblocks, then age; ties go to the smaller id, so the order is
 * stable. It walks the queue's time-independent order (queueIndex.ts) and stops as soon as the
 * items it shows are settled, so a 10,000-node graph costs about as much as the few it shows.
 */
export const defaultRanker: QueueRanker = {
  rank(graphView: GraphView, opts: QueueOptions): QueueResult {
    const view = IndexedGraph.of(graphView);
    const {slice} = view;
    const index = queueIndexOf(view);
    const now = opts.now.getTime();
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
    const typeNames = slice.names('type');
    const shownType = typeNames.map(
      (t) => (!opts.types || opts.types.length === 0 || opts.types.includes(t)) && !opts.excludeTypes?.includes(t),
    );
    const wantedRepo = opts.repo === undefined ? undefined : slice.code('repo', opts.repo);
    const dormant = new Set(
      slice
        .wakes()
        .filter(([, wake]) => isDormant(wake, now))
        .map(([i]) => i),
    );
    const typeCodes = slice.column('type');
    const repoCodes = slice.column('repo');
    const counts = {open: index.order.length, shown: 0, blocked: 0, dormant: 0, filtered: 0};
    const taken: Array<Ranked> = [];
    for (let e = 0; e < index.order.length; e += 1) {
      const i = index.order[e] as number;
      if (!shownType[typeCodes[i] as number] || (wantedRepo !== undefined && repoCodes[i] !== wantedRepo)) {
        counts.filtered += 1;
        continue;
      }
      if (index.blocked[e] === 1) {
        counts.blocked += 1;
        continue;
      }
      if (dormant.has(i)) {
        counts.dormant += 1;
        continue;
      }
      const unblocks = index.unblocks[e] as number;
      const priority = slice.priorityAt(i);
      const age = ageInDays(slice.createdMsAt(i), now);
      const score = scoreOf(priority, unblocks, age);
      // Past the limit, only an item tied with the last one taken (same score and age) may still
      // belong in the list (it may have the smaller id); everything after it ranks lower. The
      // walk goes on only to count what is hidden.
      if (taken.length >= limit) {
        const last = taken[taken.length - 1] as Ranked;
        if (score !== last.score || age !== last.age) continue;
      }
      taken.push({i, e, priority, unblocks, age, score, id: slice.idAt(i)});
    }
    const items = taken
      .sort(before)
      .slice(0, limit)
      .map((r): QueueItem => ({
        id: r.id,
        type: slice.typeAt(r.i),
        title: slice.titleAt(r.i),
        repo: slice.repoAt(r.i),
        priority: r.priority,
        score: r.score,
        readiness: view.readinessAt(r.i, index.questions[r.e]).readiness,
        why: whyOf(r.priority, r.unblocks, r.age),
      }));
    counts.shown = items.length;
    return {items, counts};
  },
};
