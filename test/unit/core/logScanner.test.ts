import {closeSync, openSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../core/events.js';
import {encodeLine} from '../../../core/logFormat.js';
import {scanLog, type ScanOptions, type ScanResult} from '../../../core/logScanner.js';
import {tempDir} from '../../helpers/tempHome.js';

const ev = (seq: number): SporEvent => ({
  id: `id-${seq}`,
  seq,
  type: 'thing-happened',
  v: 1,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'machine:test',
  data: {n: seq},
});

const scanText = (
  text: string | Buffer,
  opts: Partial<ScanOptions> = {},
): ScanResult & {seen: Array<[number, number]>} => {
  const file = join(tempDir('spor-scan-'), 'events.jsonl');
  writeFileSync(file, text);
  const fd = openSync(file, 'r');
  const seen: Array<[number, number]> = [];
  try {
    const size = Buffer.byteLength(text);
    return {
      ...scanLog(fd, {from: 0, to: size, afterSeq: 0, onRecord: (e, end) => seen.push([e.seq, end]), ...opts}),
      seen,
    };
  } finally {
    closeSync(fd);
  }
};

const lines = (...ls: Array<string>): string => ls.map((l) => `${l}\n`).join('');

describe('scanLog', () => {
  it('reports each committed record with the offset just past it', () => {
    const text = lines(encodeLine(ev(1)), encodeLine(ev(2)), encodeLine(ev(3)));
    const r = scanText(text);
    expect(r).toMatchObject({
      lastSeq: 3,
      lastId: 'id-3',
      committedEnd: Buffer.byteLength(text),
      records: 3,
      issues: [],
    });
    expect(r.seen.map(([seq]) => seq)).toEqual([1, 2, 3]);
    expect(r.seen.at(-1)?.[1]).toBe(Buffer.byteLength(text));
  });

  it('reads across its 4 MiB read chunks without losing or splitting a record', () => {
    const big = (seq: number): SporEvent => ({...ev(seq), data: {n: seq, pad: 'x'.repeat(70_000 + seq)}});
    const text = Array.from({length: 130}, (_, i) => `${encodeLine(big(i + 1))}\n`).join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(8 << 20);
    const r = scanText(text);
    expect(r).toMatchObject({lastSeq: 130, records: 130, issues: []});
  });

  it('treats an unterminated final line as a torn tail, not damage', () => {
    const good = lines(encodeLine(ev(1)), encodeLine(ev(2)));
    const r = scanText(good + encodeLine(ev(3)).slice(0, 40));
    expect(r).toMatchObject({lastSeq: 2, committedEnd: Buffer.byteLength(good), records: 2});
    expect(r.issues).toEqual([
      {kind: 'torn', record: 3, offset: Buffer.byteLength(good), reason: 'unterminated final record'},
    ]);
  });

  it('holds back a batch until its last line is there', () => {
    const before = lines(encodeLine(ev(1)));
    const batch = [encodeLine(ev(2), 4), encodeLine(ev(3), 4), encodeLine(ev(4), 4)];
    const cut = scanText(before + lines(batch[0] as string, batch[1] as string));
    expect(cut).toMatchObject({lastSeq: 1, committedEnd: Buffer.byteLength(before), records: 1});
    expect(cut.seen.map(([s]) => s)).toEqual([1]);
    expect(cut.issues).toEqual([
      {kind: 'torn', record: 2, offset: Buffer.byteLength(before), reason: 'batch cut short'},
    ]);
    const whole = scanText(before + lines(...batch));
    expect(whole).toMatchObject({lastSeq: 4, records: 4, issues: []});
  });

  it('reports a damaged record in the middle as corrupt, with its number and offset, and stops there', () => {
    const one = encodeLine(ev(1));
    const two = encodeLine(ev(2)).replace('"n":2', '"n":7');
    const text = lines(one, two, encodeLine(ev(3)));
    const r = scanText(text);
    expect(r.issues).toEqual([
      {kind: 'corrupt', record: 2, offset: Buffer.byteLength(one) + 1, reason: 'checksum mismatch'},
    ]);
    expect(r).toMatchObject({lastSeq: 1, records: 1});
  });

  it('reports a record out of sequence as corrupt', () => {
    const r = scanText(lines(encodeLine(ev(1)), encodeLine(ev(3))));
    expect(r.issues).toEqual([expect.objectContaining({kind: 'corrupt', record: 2, reason: 'seq 3 where 2 was due'})]);
  });

  it('with collectAll, keeps going after damage so every good record is still counted', () => {
    const text = lines(encodeLine(ev(1)), 'garbage', encodeLine(ev(3)), encodeLine(ev(4)));
    const r = scanText(text, {collectAll: true});
    expect(r.issues).toEqual([expect.objectContaining({kind: 'corrupt', record: 2, reason: 'no checksum'})]);
    expect(r).toMatchObject({lastSeq: 4, records: 3});
  });

  it('starts mid-log from a known record', () => {
    const first = lines(encodeLine(ev(1)), encodeLine(ev(2)));
    const text = first + lines(encodeLine(ev(3)));
    const r = scanText(text, {from: Buffer.byteLength(first), afterSeq: 2});
    expect(r).toMatchObject({lastSeq: 3, records: 1, issues: []});
    expect(r.seen.map(([s]) => s)).toEqual([3]);
  });
});
