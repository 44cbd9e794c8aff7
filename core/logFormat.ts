import {nodeZlib} from './builtinModules.js';
import type {SporEvent} from './events.js';

// One event per line: the envelope as JSON with a CRC-32 of the bytes before it appended as the
// last member (`,"crc":"89abcdef"}`), so a line stays plain JSON for jq while damage is detectable
// without re-serializing. A multi-event append also stamps `b` (the batch's last seq) on each line
// so a crash inside a batch is rolled back whole.
const CRC_SUFFIX_LENGTH = 18;

// CRC-32 (zlib's polynomial) in JavaScript for the few records a command usually reads: loading
// node:zlib pulls in Node's streams and costs a short command more than checking its records.
// Long scans switch to zlib's native one (preferNativeCrc) once the load pays for itself.
const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

const jsCrc32 = (data: string | Buffer, value = 0): number => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let c = ~value;
  for (let i = 0; i < bytes.length; i += 1) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
};

let nativeCrc32: ((data: string | Buffer, value?: number) => number) | undefined;

/** Use zlib's native CRC-32 from now on (called before scanning more than a little of the log). */
export const preferNativeCrc = (): void => {
  nativeCrc32 ??= nodeZlib().crc32;
};

const crc32 = (data: string | Buffer, value?: number): number => (nativeCrc32 ?? jsCrc32)(data, value);

/** CRC-32 (zlib's) of `data`, continuing from `value`: the log's checksum, for other files spor keeps. */
export const checksum = (data: string | Buffer, value?: number): number => {
  if (data.length > 256 << 10) preferNativeCrc();
  return crc32(data, value);
};
const CRC_HEAD = Buffer.from(',"crc":"');
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

/** A stored line decoded: the event plus the batch end it was written with. */
export interface StoredRecord {
  event: SporEvent;
  batchEnd: number;
}

/** An event as one line of the log (without its newline); `batchEnd` as `encodeBatch` takes it. */
export const encodeLine = (event: SporEvent, batchEnd?: number): string => {
  const bytes = encodeBatch([event], batchEnd);
  return bytes.toString('utf8', 0, bytes.length - 1);
};

const HEX_DIGITS = Buffer.from('0123456789abcdef');
const NEWLINE = 0x0a;

/**
 * The bytes that store a batch: each event's line, newline-terminated; `batchEnd` (the batch's
 * last seq) is stamped as `b` on every line but the last. Each body is encoded to UTF-8 once, in
 * place, and checksummed there: a batch of a busy server's events used to be joined as a string
 * and then encoded again.
 */
export const encodeBatch = (events: ReadonlyArray<SporEvent>, batchEnd?: number): Buffer => {
  const bodies = events.map(({seq, id, type, v, at, actor, data, causation}) => {
    const record: Record<string, unknown> = {seq, id, type, v, at, actor, data};
    if (causation !== undefined) record.causation = causation;
    if (batchEnd !== undefined && batchEnd !== seq) record.b = batchEnd;
    return JSON.stringify(record);
  });
  let size = 0;
  // The closing brace moves behind the checksum: a line is its body plus the suffix less one byte,
  // plus its newline.
  for (const body of bodies) size += Buffer.byteLength(body) + CRC_SUFFIX_LENGTH;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const body of bodies) {
    const length = out.write(body, at);
    let crc = crc32(out.subarray(at, at + length));
    at += length - 1;
    at += CRC_HEAD.copy(out, at);
    for (let digit = 7; digit >= 0; digit -= 1, crc >>>= 4) out[at + digit] = HEX_DIGITS[crc & 0xf] as number;
    at += 8;
    out[at++] = QUOTE;
    out[at++] = CLOSE_BRACE;
    out[at++] = NEWLINE;
  }
  return out;
};

// Folds one more byte into a finished CRC-32 (zlib's polynomial). The checksum covers the body
// with its closing brace, which the line moves behind the checksum; folding it in here spares a
// second native call per record on every replay.
const crcWithByte = (crc: number, byte: number): number => {
  let c = ~crc ^ byte;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return ~c >>> 0;
};

/** The 8 lowercase hex digits at `at` as a number; -1 if they are not that. */
const hexAt = (buf: Buffer, at: number): number => {
  let value = 0;
  for (let i = at; i < at + 8; i += 1) {
    const c = buf[i] as number;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
};

const hasCrcSuffix = (buf: Buffer, bodyEnd: number, end: number): boolean => {
  for (let i = 0; i < CRC_HEAD.length; i += 1) if (buf[bodyEnd + i] !== CRC_HEAD[i]) return false;
  return buf[end - 2] === QUOTE && buf[end - 1] === CLOSE_BRACE;
};

/**
 * Decodes the line in `buf[start, end)` (without its newline); a string says why it is not a valid
 * record. Works on bytes, checking the checksum before anything is decoded, because a full replay
 * runs this once per record.
 */
export const decodeLine = (buf: Buffer, start: number, end: number): StoredRecord | string => {
  const bodyEnd = end - CRC_SUFFIX_LENGTH;
  if (bodyEnd <= start || !hasCrcSuffix(buf, bodyEnd, end)) return 'no checksum';
  const expected = hexAt(buf, bodyEnd + CRC_HEAD.length);
  if (expected < 0) return 'no checksum';
  if (crcWithByte(crc32(buf.subarray(start, bodyEnd)), CLOSE_BRACE) !== expected) return 'checksum mismatch';
  // The whole line is JSON (crc is its last member), so it is parsed as it lies rather than
  // re-joined with its closing brace; dropping the last-added member keeps the object fast.
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(buf.toString('utf8', start, end)) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  delete parsed.crc;
  if (typeof parsed.seq !== 'number' || typeof parsed.id !== 'string' || typeof parsed.type !== 'string')
    return 'not an event';
  let batchEnd = parsed.seq;
  if (parsed.b !== undefined) {
    if (typeof parsed.b === 'number') batchEnd = parsed.b;
    delete parsed.b;
  }
  return {event: parsed as unknown as SporEvent, batchEnd};
};
