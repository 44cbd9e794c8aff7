import type {EventCatalog} from './catalog.js';
import type {SporEvent} from './events.js';
import {decodeLine} from './logFormat.js';
import type {RecordRef} from './plugin.js';

/** The part of the EventStore a reader needs (reads only; no lock). */
export interface LogSource {
  size(): number;
  readBefore(end: number, bytes: number): Buffer;
  readRanges(ranges: ReadonlyArray<{start: number; length: number}>): Array<Buffer>;
  read(from: number, afterSeq: number, onRecord: (event: SporEvent, end: number) => void): unknown;
}

const BLOCK = 4 * 1024;
const SEQ_PREFIX = /^\{"seq":(\d+),/;

/**
 * Hands out committed events by their RecordRef (or bare seq): what `EventStore.records()` returns,
 * so that no plugin reads or parses log bytes itself. Every line of the log starts with `{"seq":N,` and seqs rise
 * line by line, so a search over byte offsets (interpolated, as seqs are dense) reaches any record
 * in a few small reads; asking for many records at once reads the log front to back instead. Events come back upcast, and
 * only when their data is valid (as the projector would have folded them).
 */
export class RecordReader {
  private readonly blocks = new Map<number, Buffer>();
  /** Line starts already probed, with their seqs: later searches start from the nearest. */
  private readonly anchors: Array<{start: number; seq: number}> = [];
  private size = -1;

  constructor(
    private readonly log: LogSource,
    private readonly catalog: EventCatalog,
  ) {}

  fetch(refs: Iterable<number | RecordRef>): Map<number, SporEvent> {
    const found = new Map<number, SporEvent>();
    const located: Array<RecordRef> = [];
    const wanted = new Set<number>();
    for (const r of refs) {
      if (typeof r === 'number') wanted.add(r);
      else if (r.start >= 0 && r.length > 1) located.push(r);
      else wanted.add(r.seq);
    }
    // Where a record lies is known: read just its line. One that is not what was expected there
    // (a log replaced under the slice) is looked for by its seq instead.
    if (located.length > 0) {
      const lines = this.log.readRanges(located);
      located.forEach((r, k) => {
        const line = lines[k] as Buffer;
        const record =
          line.length === r.length && line[line.length - 1] === 10 ? decodeLine(line, 0, line.length - 1) : 'short';
        if (typeof record !== 'string' && record.event.seq === r.seq) this.keep(record.event, found);
        else wanted.add(r.seq);
      });
    }
    for (const seq of found.keys()) wanted.delete(seq);
    if (wanted.size === 0) return found;
    if (this.size < 0) this.size = this.log.size();
    // A bisection costs a handful of block reads; past one record per 64 KiB of log, one pass wins.
    if (wanted.size * 64 * 1024 > this.size) {
      this.log.read(0, 0, (event) => {
        if (wanted.has(event.seq)) this.keep(event, found);
      });
      return found;
    }
    for (const seq of [...wanted].sort((a, b) => a - b)) {
      const start = this.find(seq);
      if (start === undefined) continue;
      const end = this.newlineFrom(start);
      if (end === -1) continue;
      const line = this.bytes(start, end);
      const record = decodeLine(line, 0, line.length);
      if (typeof record !== 'string' && record.event.seq === seq) this.keep(record.event, found);
    }
    return found;
  }

  private keep(event: SporEvent, into: Map<number, SporEvent>): void {
    const current = this.catalog.upcast(event);
    if (this.catalog.isValid(current)) into.set(current.seq, current);
  }

  // Invariants: `lo` is a line start whose seq (`loSeq`) is at most `target`; every line starting
  // at or after `hi` has a seq above `target`, the first of them `hiSeq`. Seqs are dense, so the
  // next probe is interpolated between the two; a probe that fails to halve the range is followed
  // by a plain bisection, so a log of very uneven lines costs no more than bisecting.
  private find(target: number): number | undefined {
    let lo = 0;
    let loSeq = 1;
    let hi = this.size;
    let hiSeq = this.lastSeq() + 1;
    for (const a of this.anchors) {
      if (a.seq <= target && a.start >= lo) {
        lo = a.start;
        loSeq = a.seq;
      }
      if (a.seq > target && a.start < hi) {
        hi = a.start;
        hiSeq = a.seq;
      }
    }
    let interpolate = true;
    while (hi - lo > 2 * BLOCK) {
      const span = hi - lo;
      const guess =
        interpolate && hiSeq > loSeq
          ? lo + Math.floor(((target - loSeq) / (hiSeq - loSeq)) * span)
          : lo + Math.floor(span / 2);
      const mid = Math.min(hi - 1, Math.max(lo + 1, guess));
      const start = this.lineStartFrom(mid);
      if (start >= hi) {
        hi = mid;
        interpolate = hi - lo <= span / 2;
        continue;
      }
      const seq = this.seqAt(start);
      if (seq === undefined) return undefined;
      this.anchors.push({start, seq});
      if (seq === target) return start;
      if (seq < target) {
        lo = start;
        loSeq = seq;
      } else {
        hi = mid;
        hiSeq = seq;
      }
      interpolate = hi - lo <= span / 2;
    }
    for (let pos = lo; pos < hi;) {
      const seq = this.seqAt(pos);
      if (seq === undefined || seq > target) return undefined;
      if (seq === target) return pos;
      const nl = this.newlineFrom(pos);
      if (nl === -1) return undefined;
      pos = nl + 1;
    }
    return undefined;
  }

  private last?: number;

  /** The seq of the log's last complete line (0 for an empty log). */
  private lastSeq(): number {
    if (this.last === undefined) {
      let start = this.size - 1;
      // Back up over the final newline, then to the newline before it.
      while (start > 0) {
        const from = Math.max(0, start - BLOCK);
        const at = this.bytes(from, start).lastIndexOf(10);
        if (at !== -1) {
          start = from + at + 1;
          break;
        }
        start = from;
      }
      this.last = this.size === 0 ? 0 : (this.seqAt(Math.max(0, start)) ?? 0);
    }
    return this.last;
  }

  private seqAt(start: number): number | undefined {
    const head = this.bytes(start, Math.min(start + 32, this.size)).toString('latin1');
    const m = SEQ_PREFIX.exec(head);
    return m ? Number(m[1]) : undefined;
  }

  /** The first line start at or after `pos` (the log's size when there is none). */
  private lineStartFrom(pos: number): number {
    if (pos === 0) return 0;
    const nl = this.newlineFrom(pos - 1);
    return nl === -1 ? this.size : nl + 1;
  }

  /** Offset of the first newline at or after `pos`, or -1. */
  private newlineFrom(pos: number): number {
    for (let b = Math.floor(pos / BLOCK); b * BLOCK < this.size; b += 1) {
      const block = this.block(b);
      const from = Math.max(0, pos - b * BLOCK);
      const at = block.indexOf(10, from);
      if (at !== -1) return b * BLOCK + at;
    }
    return -1;
  }

  private bytes(start: number, end: number): Buffer {
    const parts: Array<Buffer> = [];
    for (let b = Math.floor(start / BLOCK); b * BLOCK < end; b += 1) {
      const block = this.block(b);
      parts.push(block.subarray(Math.max(0, start - b * BLOCK), Math.min(block.length, end - b * BLOCK)));
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private block(b: number): Buffer {
    let block = this.blocks.get(b);
    if (!block) {
      const end = Math.min((b + 1) * BLOCK, this.size);
      block = this.log.readBefore(end, end - b * BLOCK);
      this.blocks.set(b, block);
    }
    return block;
  }
}
