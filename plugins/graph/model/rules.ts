import {TERMINAL_STATUSES} from './model.js';

/**
 * The node types the queue ranks; every other type (inert ones included) is never queued. A
 * reference Spor queue also ranks gardener findings and captures awaiting triage.
 */
export const QUEUE_TYPES: ReadonlyArray<string> = ['task', 'issue', 'question', 'finding', 'capture-pending'];

/**
 * Statuses that withdraw a node's word: its outbound `resolves`/`answers`/`supersedes` edges are
 * no longer live. A decision that was itself rejected does not resolve anything.
 */
const WITHDRAWN = new Set(['rejected', 'abandoned', 'superseded']);

/** Statuses after which a decision or norm is no longer in force. */
const NOT_IN_FORCE = new Set(['rejected', 'abandoned', 'superseded', 'retired', 'dismissed', 'deprecated']);

// A graph has a handful of distinct statuses and asks about them thousands of times.
const normalized = new Map<string, string>();
const norm = (status: string | undefined): string => {
  if (!status) return '';
  let n = normalized.get(status);
  if (n === undefined) {
    n = status.trim().toLowerCase();
    normalized.set(status, n);
  }
  return n;
};

export const isTerminal = (status: string | undefined): boolean => TERMINAL_STATUSES.has(norm(status));
export const isWithdrawn = (status: string | undefined): boolean => WITHDRAWN.has(norm(status));
export const isOutOfForce = (status: string | undefined): boolean => NOT_IN_FORCE.has(norm(status));

/** Priority's weight in the ranking: p1 > p2 > p3 > none. */
export const priorityWeight = (priority: string | undefined): number =>
  priority === 'p1' ? 3 : priority === 'p2' ? 2 : priority === 'p3' ? 1 : 0;

const DAY_MS = 86_400_000;

/** Whole days between `created` (epoch ms, null when it is not a date) and `now` (0 when it lies ahead). */
export const ageInDays = (created: number | null, now: number): number =>
  created === null ? 0 : Math.max(0, Math.floor((now - created) / DAY_MS));

/** True when `wake` is a date after `now` (epoch ms): the node sleeps until then. */
export const isDormant = (wake: string | undefined, now: number): boolean => {
  const t = wake === undefined ? Number.NaN : Date.parse(wake);
  return !Number.isNaN(t) && t > now;
};
