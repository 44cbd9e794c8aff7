import {UsageError, type SporEvent} from '../../core/index.js';

/** Where `--since` starts: a seq (inclusive) or a time in ms (events at or after it). */
export type Since = {seq: number} | {time: number};

/** Which events `spor log` prints. */
export interface LogQuery {
  /** Event types to keep (any of them); empty keeps every type. */
  types: ReadonlySet<string>;
  since?: Since;
  /** Keep only the last N matching events of the history (not of what `--follow` adds later). */
  limit?: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:$|[T ])/;

/**
 * `--since 40` means seq 40 onwards; `--since 2026-11-24[T10:00:00Z]` means at or after that time
 * (local time unless the text names a zone).
 */
export const parseSince = (text: string): Since => {
  if (/^\d+$/.test(text)) return {seq: Number(text)};
  // JavaScript reads a bare date as UTC midnight but a bare date-time as local; spor reads both as local.
  const time = ISO_DATE.test(text)
    ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text)
    : Number.NaN;
  if (Number.isNaN(time)) {
    throw new UsageError(`invalid --since '${text}'`, {
      code: 'E_LOG_SINCE',
      hint: 'give a seq number (--since 40) or an ISO time (--since 2026-11-24 or --since 2026-11-24T10:00:00Z)',
    });
  }
  return {time};
};

export const parseLimit = (text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`invalid --limit '${text}'`, {
      code: 'E_LOG_LIMIT',
      hint: 'give a whole number of events, at least 1 (--limit 20)',
    });
  }
  return Number(text);
};

/** `--type a --type b` and `--type a,b` both mean a or b. */
export const parseTypes = (values: ReadonlyArray<string> | undefined): Set<string> =>
  new Set(
    (values ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );

export const matches = (event: SporEvent, q: LogQuery): boolean => {
  if (q.types.size > 0 && !q.types.has(event.type)) return false;
  if (q.since === undefined) return true;
  return 'seq' in q.since ? event.seq >= q.since.seq : Date.parse(event.at) >= q.since.time;
};

/** Keeps the last `limit` items pushed (all of them without a limit). */
export class Tail<T> {
  private readonly items: Array<T> = [];
  constructor(private readonly limit?: number) {}

  push(item: T): void {
    this.items.push(item);
    // Trimming in chunks keeps this linear on a long log without a ring buffer.
    if (this.limit !== undefined && this.items.length >= this.limit * 2 + 1024)
      this.items.splice(0, this.items.length - this.limit);
  }

  take(): Array<T> {
    return this.limit === undefined ? this.items : this.items.slice(Math.max(0, this.items.length - this.limit));
  }
}

/**
 * A note for `--type` values that neither a loaded plugin declares nor the log contains: most
 * likely a typo, which would otherwise just print nothing.
 */
export const unknownTypesNote = async (
  types: ReadonlySet<string>,
  seen: ReadonlySet<string>,
  known: ReadonlyArray<string>,
): Promise<string | undefined> => {
  const strangers = [...types].filter((t) => !seen.has(t) && !known.includes(t));
  if (strangers.length === 0) return undefined;
  const {closest} = await import('../../core/suggest.js');
  return strangers
    .map((t) => {
      const guess = closest(t, new Set([...known, ...seen]));
      return `no event type '${t}' is known${guess ? ` (did you mean '${guess}'?)` : ''}`;
    })
    .join('; ');
};
