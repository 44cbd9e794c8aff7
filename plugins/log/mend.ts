import {decodeLine, encodeLine, type SporEvent} from '../../core/index.js';

/** A line `--repair` took out of the log (a copy of the whole log is kept in quarantine). */
export interface DroppedRecord {
  /** Its position in the log (the seq that was due there). */
  record: number;
  offset: number;
  bytes: number;
  reason: string;
}

/** What mending the log's sequence did, or why it would not. */
export interface Mend {
  refused?: string;
  /** Intact records given a new seq (two writers that stamped the same seq, a line lost). */
  renumbered: number;
  /** The first seq that changed. */
  from_seq?: number;
  dropped: Array<DroppedRecord>;
}

/**
 * Plans the mending of a log whose intact records repeat a seq (two writers), or whose final record
 * is damaged and was never acknowledged (it lies past what its writer sealed: the writer died
 * before its append returned). Every intact record is kept, in log order, and the seqs are made
 * gap-free again; only such an unacknowledged final record, and a torn tail, are left out. A
 * damaged record anywhere else is refused: it may hold something a person was told was saved.
 * Returns the new log's bytes, or none when there is nothing to mend or it must not be.
 */
export const planMend = (
  log: Buffer,
  sealed: {size: number; seq: number} | undefined,
): {bytes?: Buffer; result: Mend} => {
  const lines: Array<{start: number; end: number}> = [];
  let start = 0;
  for (let nl = log.indexOf(10); nl !== -1; nl = log.indexOf(10, start)) {
    lines.push({start, end: nl});
    start = nl + 1;
  }
  const dropped: Array<DroppedRecord> = [];
  const kept: Array<{event: SporEvent; batchEnd: number; start: number; end: number}> = [];
  for (const [i, line] of lines.entries()) {
    const decoded = decodeLine(log, line.start, line.end);
    if (typeof decoded !== 'string') {
      kept.push({...decoded, ...line});
      continue;
    }
    const last = i === lines.length - 1;
    const acknowledged = sealed === undefined || line.start < sealed.size;
    const position = kept.length + dropped.length + 1;
    if (!last || acknowledged)
      return {
        result: {
          refused: `record ${position} at byte ${line.start} is damaged (${decoded}) and ${last ? 'was acknowledged to its writer' : 'is not the last'}; a damaged record that may have been saved is never dropped`,
          renumbered: 0,
          dropped: [],
        },
      };
    dropped.push({record: position, offset: line.start, bytes: line.end + 1 - line.start, reason: decoded});
  }
  if (start < log.length)
    dropped.push({
      record: kept.length + dropped.length + 1,
      offset: start,
      bytes: log.length - start,
      reason: 'unterminated final record',
    });
  // Two writers stamping one seq repeat it; a seq that jumps ahead means a record is missing,
  // which renumbering would hide: only a backup can bring it back.
  for (let i = 1; i < kept.length; i += 1) {
    const prev = (kept[i - 1] as (typeof kept)[number]).event.seq;
    const r = kept[i] as (typeof kept)[number];
    if (r.event.seq > prev + 1)
      return {
        result: {
          refused: `the record after seq ${prev} is missing (the next at byte ${r.start} has seq ${r.event.seq}); renumbering would hide the loss`,
          renumbered: 0,
          dropped: [],
        },
      };
  }
  const out: Array<Buffer> = [];
  let renumbered = 0;
  let fromSeq: number | undefined;
  kept.forEach((r, i) => {
    const seq = i + 1;
    if (r.event.seq === seq) {
      out.push(log.subarray(r.start, r.end + 1));
      return;
    }
    renumbered += 1;
    fromSeq ??= seq;
    const batchEnd = seq + (r.batchEnd - r.event.seq);
    out.push(Buffer.from(`${encodeLine({...r.event, seq}, batchEnd === seq ? undefined : batchEnd)}\n`));
  });
  const result: Mend = {renumbered, dropped, ...(fromSeq === undefined ? {} : {from_seq: fromSeq})};
  return renumbered === 0 && dropped.length === 0 ? {result} : {bytes: Buffer.concat(out), result};
};
