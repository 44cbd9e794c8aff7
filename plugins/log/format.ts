import {printable, type EventCatalog, type SporEvent} from '../../core/index.js';

/**
 * The event as `spor log --json` prints it: the stored envelope in a fixed key order, without the
 * storage-only members (`crc`, the batch marker `b`), upcast to the current version when a loaded
 * plugin declares its type. Unknown types are printed as stored.
 */
export const envelope = (event: SporEvent, catalog: EventCatalog): SporEvent => {
  const e = catalog.upcast(event);
  const out: SporEvent = {id: e.id, seq: e.seq, type: e.type, v: e.v, at: e.at, actor: e.actor, data: e.data};
  return e.causation === undefined ? out : {...out, causation: e.causation};
};

// Seconds are enough for reading history; --json keeps the stored precision.
const shortTime = (at: string): string => at.replace(/\.\d+Z$/, 'Z');

/** One human line: `#12  2026-11-24T10:00:00Z  repo-added  spor → /x  (machine:ada@box)`. */
export const humanLine = (event: SporEvent, catalog: EventCatalog): string => {
  const e = catalog.upcast(event);
  const summary = catalog.summary(e) ?? JSON.stringify(e.data) ?? '';
  return `#${e.seq}  ${shortTime(e.at)}  ${e.type}  ${printable(summary)}  (${printable(e.actor)})`;
};
