import type {IndexedGraph} from '../view/view.js';

/**
 * What `correction` nodes ask of one briefing (the reference Spor graph's steering nodes): a
 * correction whose `target` is the briefed node, or `global` (every briefing), is shown as standing
 * guidance; the nodes its `pin` lists are always included, those its `exclude` lists never
 * surface. A correction that is resolved or out of force asks nothing.
 */
export interface Steering {
  /** The corrections that apply, by position, in the order they were added. */
  corrections: Array<number>;
  /** Pinned positions (existing nodes only), first pin first. */
  pinned: Array<number>;
  excluded: Set<number>;
}

// A correction's `target`/`pin`/`exclude` are fields spor keeps as imported (`extra`: node text).
const field = (view: IndexedGraph, at: number, key: string): unknown => view.nodeAt(at).extra?.[key];

// `pin: [a, b]` in YAML, or a single id, or `a, b` as plain text.
const ids = (value: unknown): Array<string> => {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  return [];
};

/** The steering that applies to the briefing of the node at `at` (undefined: a free-text briefing, global only). */
export const steeringFor = (view: IndexedGraph, at: number | undefined): Steering => {
  const target = at === undefined ? undefined : view.slice.idAt(at);
  const steering: Steering = {corrections: [], pinned: [], excluded: new Set()};
  const live = view.positionsOfType('correction').filter((c) => !view.isResolvedAt(c) && view.inForceAt(c));
  view.loadAt(live); // their text in one pass over the log
  for (const c of live) {
    const aim = field(view, c, 'target');
    const aims = typeof aim === 'string' ? [aim.trim()] : ids(aim);
    if (!aims.includes('global') && (target === undefined || !aims.includes(target))) continue;
    steering.corrections.push(c);
    for (const id of ids(field(view, c, 'pin'))) {
      const p = view.slice.indexOf(id);
      if (p !== undefined && p !== at && !steering.pinned.includes(p)) steering.pinned.push(p);
    }
    for (const id of ids(field(view, c, 'exclude'))) {
      const p = view.slice.indexOf(id);
      if (p !== undefined && p !== at) steering.excluded.add(p);
    }
  }
  // A node one correction pins and another excludes is left out: exclusion is the safer reading.
  steering.pinned = steering.pinned.filter((p) => !steering.excluded.has(p));
  return steering;
};
