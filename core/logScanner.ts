import {readSync} from 'node:fs';
import type {SporEvent} from './events.js';
import {decodeLine, preferNativeCrc} from './logFormat.js';

/** Something wrong found while reading the log. `record` is the record's position (its due seq). */
export interface ScanIssue {
  kind: 'torn' | 'corrupt';
  record: number;
  offset: number;
  reason: string;
}

export interface ScanResult {
  /** Seq of the last committed record (the `afterSeq` given when there was none). */
  lastSeq: number;
  lastId?: string;
  /** Byte offset just past the last committed record: a safe truncation point. */
  committedEnd: number;
  /** Committed records seen. */
  records: number;
  issues: Array<ScanIssue>;
}

export interface ScanOptions {
  from: number;
  to: number;
  /** Seq of the record just before `from` (0 at the start of the log). */
  afterSeq: number;
  /** Keep going after a corrupt record (doctor); otherwise stop at the first one. */
  collectAll?: boolean;
  /** Called for each committed record, in order, with the offset just past it. */
  onRecord?: (event: SporEvent, end: number) => void;
}

const CHUNK = 4 << 20;
/** Bytes to scan beyond which loading zlib's native CRC-32 is cheaper than the JavaScript one. */
const NATIVE_CRC_AFTER = 256 << 10;

/**
 * Reads `[from, to)` of the log line by line. A record counts only once its batch is complete and
 * its line is terminated: an unterminated final line or a batch cut short is a `torn` tail (what a
 * writer killed mid-append leaves, or one still writing); a terminated line that fails its checksum
 * or breaks the seq sequence is `corrupt`.
 */
export const scanLog = (fd: number, opts: ScanOptions): ScanResult => {
  if (opts.to - opts.from > NATIVE_CRC_AFTER) preferNativeCrc();
  const result: ScanResult = {lastSeq: opts.afterSeq, committedEnd: opts.from, records: 0, issues: []};
  let expected = opts.afterSeq + 1;
  let pending: Array<{event: SporEvent; end: number}> = [];
  let pendingStart = opts.from;
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = opts.from;
  let position = opts.from;
  let stopped = false;

  const onLine = (buf: Buffer, start: number, end: number, lineOffset: number): void => {
    const decoded = decodeLine(buf, start, end);
    const lineEnd = lineOffset + (end - start) + 1;
    if (typeof decoded === 'string' || decoded.event.seq !== expected) {
      const reason = typeof decoded === 'string' ? decoded : `seq ${decoded.event.seq} where ${expected} was due`;
      result.issues.push({kind: 'corrupt', record: expected, offset: lineOffset, reason});
      // A readable record out of sequence (a line lost or repeated) resyncs on its own seq, so one
      // missing line is reported once rather than as damage to every record after it.
      expected = typeof decoded === 'string' ? expected + 1 : decoded.event.seq + 1;
      pending = [];
      if (!opts.collectAll) stopped = true;
      return;
    }
    if (pending.length === 0) pendingStart = lineOffset;
    pending.push({event: decoded.event, end: lineEnd});
    expected = decoded.event.seq + 1;
    if (decoded.batchEnd <= decoded.event.seq) {
      for (const p of pending) opts.onRecord?.(p.event, p.end);
      result.records += pending.length;
      result.lastSeq = decoded.event.seq;
      result.lastId = decoded.event.id;
      result.committedEnd = lineEnd;
      pending = [];
    }
  };

  while (position < opts.to && !stopped) {
    const want = Math.min(CHUNK, opts.to - position);
    const chunk = Buffer.allocUnsafe(want);
    const got = readSync(fd, chunk, 0, want, position);
    if (got <= 0) break;
    position += got;
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, got)]) : chunk.subarray(0, got);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1 || stopped) break;
      onLine(buf, start, nl, carryOffset + start);
      start = nl + 1;
    }
    carryOffset += start;
    carry = Buffer.from(buf.subarray(start));
  }
  if (!stopped && (carry.length > 0 || pending.length > 0)) {
    const offset = pending.length > 0 ? pendingStart : carryOffset;
    const reason = carry.length > 0 ? 'unterminated final record' : 'batch cut short';
    result.issues.push({kind: 'torn', record: result.lastSeq + 1, offset, reason});
  }
  return result;
};
