// The storage forms of the graph slice's columns (see slice.ts). Each is read in place from the
// bytes the projector hands over, without parsing more than is asked for, and copied into plain
// arrays only when the fold changes it. Numbers are stored as little-endian typed arrays in base64:
// a fresh process reads one value of 10,000 without parsing the other 9,999.

/** A stored part: the raw bytes the projector read, or undefined when absent. */
export type Part = Buffer | undefined;

/** Numbers to read: a typed array as stored, or a plain array once changed. */
export type Numbers = ArrayLike<number> & {indexOf(value: number, fromIndex?: number): number};

type Kind = 'i32' | 'f64';
const WIDTH: Record<Kind, number> = {i32: 4, f64: 8};

/** The length in base64 of `count` numbers of a kind (to check a stored part without decoding it). */
export const base64Length = (count: number, kind: Kind): number => Math.ceil((count * WIDTH[kind]) / 3) * 4;

const decode = (kind: Kind, part: Buffer): Int32Array | Float64Array => {
  const bytes = Buffer.from(part.toString('latin1'), 'base64');
  if (bytes.length % WIDTH[kind] !== 0) throw new Error('a number column of the graph snapshot is cut short');
  // A copy on a fresh buffer, so the values sit on their natural boundary.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return kind === 'i32' ? new Int32Array(aligned.buffer) : new Float64Array(aligned.buffer);
};

const encode = (kind: Kind, values: ArrayLike<number>): string =>
  Buffer.from((kind === 'i32' ? Int32Array.from(values) : Float64Array.from(values)).buffer).toString('base64');

/** Numbers by position: 32-bit integers, or doubles (NaN for "none"). */
export class NumberColumn {
  private values?: Array<number>;
  private stored?: Int32Array | Float64Array;

  constructor(
    private readonly kind: Kind,
    private part?: Buffer,
  ) {
    if (!part) this.values = [];
  }

  /** The numbers, to read. */
  view(): Numbers {
    if (this.values) return this.values;
    this.stored ??= decode(this.kind, this.part as Buffer);
    return this.stored;
  }

  /** The numbers, to change in place (copied out of the stored form the first time). */
  edit(): Array<number> {
    if (!this.values) {
      this.values = Array.from(this.view());
      this.part = undefined;
      this.stored = undefined;
    }
    return this.values;
  }

  /** Base64, an unchanged part handed back as it was read. */
  encode(): string {
    return this.values ? encode(this.kind, this.values) : (this.part as Buffer).toString('latin1');
  }
}

/**
 * Strings by position, stored as their UTF-8 bytes end to end plus where each starts (n + 1
 * offsets), so a reader that wants a few values (the titles of the ten best queue items) decodes
 * only those.
 */
export class TextColumn {
  private values?: Array<string>;
  private readonly starts: NumberColumn;

  constructor(
    private bytes?: Buffer,
    starts?: Buffer,
  ) {
    this.starts = new NumberColumn('i32', bytes ? starts : undefined);
    if (!bytes) this.values = [];
  }

  at(i: number): string {
    if (this.values) return this.values[i] as string;
    const starts = this.offsets();
    return (this.bytes as Buffer).toString('utf8', starts[i], starts[i + 1]);
  }

  /**
   * Where `value` is, searching the stored bytes (no value is decoded); undefined when absent, or
   * once the column is decoded (the caller then has a better way).
   */
  find(value: string): number | undefined {
    // An empty needle is found at every offset, never at none: the search below would not end.
    if (this.values || value === '') return undefined;
    const bytes = this.bytes as Buffer;
    const starts = this.offsets();
    const needle = Buffer.from(value);
    // A hit counts only where a value starts and ends ("task-a" is also inside "task-ab" and "x-task-a").
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      let lo = 0;
      let hi = starts.length - 2;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const start = starts[mid] as number;
        if (start === at) {
          if ((starts[mid + 1] as number) - at === needle.length) return mid;
          break;
        }
        if (start < at) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return undefined;
  }

  /** Whether the values are decoded (an index of them then pays off). */
  get decoded(): boolean {
    return this.values !== undefined;
  }

  all(): Array<string> {
    if (!this.values) {
      const starts = this.offsets();
      const bytes = this.bytes as Buffer;
      const text = bytes.toString('utf8');
      const n = starts.length - 1;
      // All ASCII (the usual case): byte offsets are string offsets, and slicing is cheap.
      this.values = Array.from({length: n}, (_, i) =>
        text.length === bytes.length
          ? text.slice(starts[i], starts[i + 1])
          : bytes.toString('utf8', starts[i], starts[i + 1]),
      );
      this.bytes = undefined;
    }
    return this.values;
  }

  set(i: number, value: string): void {
    const values = this.all();
    if (i === values.length) values.push(value);
    else values[i] = value;
  }

  /** [the bytes, the starts], unchanged parts handed back as they were read. */
  encode(): [string, string] {
    if (!this.values) return [(this.bytes as Buffer).toString('utf8'), this.starts.encode()];
    const starts = [0];
    for (const v of this.values) starts.push((starts[starts.length - 1] as number) + Buffer.byteLength(v));
    return [this.values.join(''), encode('i32', starts)];
  }

  private offsets(): Numbers {
    const starts = this.starts.view();
    if (starts.length === 0 || starts[starts.length - 1] !== (this.bytes as Buffer).length)
      throw new Error('a text column of the graph snapshot does not add up');
    return starts;
  }
}

/**
 * Lists of numbers by position (a node's text refs), stored as one run of doubles plus where each
 * position's list starts (n + 1 offsets).
 */
export class ListColumn {
  private lists?: Array<Array<number>>;
  private readonly flat: NumberColumn;
  private readonly starts: NumberColumn;

  constructor(flat?: Buffer, starts?: Buffer) {
    this.flat = new NumberColumn('f64', flat);
    this.starts = new NumberColumn('i32', flat ? starts : undefined);
    if (!flat) this.lists = [];
  }

  at(i: number): ArrayLike<number> {
    if (this.lists) return this.lists[i] ?? [];
    const starts = this.starts.view();
    const flat = this.flat.view() as Float64Array;
    return i + 1 < starts.length ? flat.subarray(starts[i], starts[i + 1]) : [];
  }

  set(i: number, list: Array<number>): void {
    if (!this.lists) {
      const n = this.starts.view().length - 1;
      this.lists = Array.from({length: n}, (_, k) => Array.from(this.at(k)));
    }
    while (this.lists.length < i) this.lists.push([]);
    this.lists[i] = list;
  }

  /** [the numbers, the starts]. */
  encode(size: number): [string, string] {
    if (!this.lists) return [this.flat.encode(), this.starts.encode()];
    const starts = [0];
    const flat: Array<number> = [];
    for (let i = 0; i < size; i += 1) {
      flat.push(...(this.lists[i] ?? []));
      starts.push(flat.length);
    }
    return [encode('f64', flat), encode('i32', starts)];
  }
}
