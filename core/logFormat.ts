import {nodeZlib} from './builtinModules.js';
import type {SporEvent} from './events.js';

// One event per line: the envelope as JSON with a CRC-32 of the bytes before it appended as the
// last member (`,"crc":"89abcdef"}`), so a line stays plain JSON for jq while damage is detectable
// without re-serializing. A multi-event append also stamps `b` (the batch's last seq) on each line
// so a crash inside a batch is rolled back whole.
const CRC_SUFFIX_LENGTH = 18;
const crc32 = (data: string | Buffer, value?: number): number => nodeZlib().crc32(data, value);
const CRC_SUFFIX = /^,"crc":"([0-9a-f]{8})"\}$/;

/** A stored line decoded: the event plus the batch end it was written with. */
export interface StoredRecord { event: SporEvent; batchEnd: number }

export const encodeLine = (event: SporEvent, batchEnd?: number): string => {
  const {seq, id, type, v, at, actor, data, causation} = event;
  const record: Record<string, unknown> = {seq, id, type, v, at, actor, data};
  if (causation !== undefined) record.causation = causation;
  if (batchEnd !== undefined && batchEnd !== seq) record.b = batchEnd;
  const body = JSON.stringify(record);
  return `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}`;
};

const CLOSE = Buffer.from('}');

/**
 * Decodes the line in `buf[start, end)` (without its newline); a string says why it is not a valid
 * record. Works on bytes so a full replay never re-encodes strings to check them.
 */
export const decodeLine = (buf: Buffer, start: number, end: number): StoredRecord | string => {
  if (end - start <= CRC_SUFFIX_LENGTH) return 'no checksum';
  const m = CRC_SUFFIX.exec(buf.toString('latin1', end - CRC_SUFFIX_LENGTH, end));
  if (!m) return 'no checksum';
  const bodyEnd = end - CRC_SUFFIX_LENGTH;
  if (crc32(CLOSE, crc32(buf.subarray(start, bodyEnd))) !== Number.parseInt(m[1] as string, 16)) return 'checksum mismatch';
  let parsed: Record<string, unknown>;
  try { parsed = JSON.parse(`${buf.toString('utf8', start, bodyEnd)}}`) as Record<string, unknown>; } catch { return 'not JSON'; }
  if (typeof parsed.seq !== 'number' || typeof parsed.id !== 'string' || typeof parsed.type !== 'string') return 'not an event';
  const batchEnd = typeof parsed.b === 'number' ? parsed.b : parsed.seq;
  delete parsed.b;
  return {event: parsed as unknown as SporEvent, batchEnd};
};
