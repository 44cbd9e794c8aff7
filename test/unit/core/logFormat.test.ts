import {crc32} from 'node:zlib';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../core/events.js';
import {decodeLine, encodeBatch, encodeLine} from '../../../core/logFormat.js';

const event = (over: Partial<SporEvent> = {}): SporEvent => ({
  id: '9b2f7c1e-4a53-4c5e-9d0a-0c1d2e3f4a5b',
  seq: 42,
  type: 'repo-added',
  v: 2,
  at: '2026-01-02T03:04:05.678Z',
  actor: 'machine:ada@laptop',
  data: {slug: 'spor', path: '/home/ada/src/spor'},
  ...over,
});

const decode = (line: string) => {
  const buf = Buffer.from(line);
  return decodeLine(buf, 0, buf.length);
};

// Independent of logFormat.ts: the line minus its crc member is the JSON the checksum covers.
const crcOf = (line: string): number => crc32(`${line.slice(0, line.lastIndexOf(',"crc":"'))}}`);

describe('log line format', () => {
  it('stores a batch as its lines, each newline-terminated and checksummed, all but the last stamped with its end', () => {
    const batch = [41, 42, 43].map((seq) => event({seq, id: `e-${seq}`, data: {note: `ü→${seq} 🎉`}}));
    const bytes = encodeBatch(batch, 43);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      expect(Number.parseInt((JSON.parse(line) as {crc: string}).crc, 16)).toBe(crcOf(line));
      expect(decode(line)).toEqual({event: batch[i], batchEnd: 43});
      expect(JSON.parse(line)).toEqual(i < 2 ? expect.objectContaining({b: 43}) : expect.not.objectContaining({b: 43}));
    });
    expect(encodeBatch([])).toHaveLength(0);
  });

  it('is one line of plain JSON ending in the CRC-32 of the envelope', () => {
    const line = encodeLine(event({causation: 'cause-1'}));
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toEqual({...event({causation: 'cause-1'}), crc: expect.stringMatching(/^[0-9a-f]{8}$/)});
    expect(Object.keys(parsed).at(-1)).toBe('crc');
    expect(Number.parseInt(parsed.crc as string, 16)).toBe(crcOf(line));
  });

  it('decodes what it encodes, for any envelope and data', () => {
    const json = fc.jsonValue({maxDepth: 3}) as fc.Arbitrary<unknown>;
    fc.assert(
      fc.property(
        fc.record({
          id: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/),
          seq: fc.integer({min: 1, max: 2 ** 40}),
          type: fc.stringMatching(/^[a-z][a-z-]{0,20}$/),
          v: fc.integer({min: 1, max: 9}),
          at: fc.date({noInvalidDate: true, min: new Date(0), max: new Date(4e12)}).map((d) => d.toISOString()),
          actor: fc.string(),
          data: json,
          causation: fc.option(fc.string(), {nil: undefined}),
        }),
        fc.option(fc.integer({min: 0, max: 5}), {nil: undefined}),
        (e, extra) => {
          const {causation, ...rest} = e;
          const stored: SporEvent = causation === undefined ? rest : {...rest, causation};
          const batchEnd = extra === undefined ? undefined : stored.seq + extra;
          const decoded = decode(encodeLine(stored, batchEnd));
          expect(decoded).toEqual({
            event: JSON.parse(JSON.stringify(stored)) as SporEvent,
            batchEnd: batchEnd ?? stored.seq,
          });
        },
      ),
      {numRuns: 300},
    );
  });

  it('keeps non-ASCII text, quotes and newlines inside values on one line', () => {
    const e = event({data: {note: 'zürich → 東京 😀 "quoted" \\ back\nslash', n: -0.5}});
    const line = encodeLine(e);
    expect(line.split('\n')).toHaveLength(1);
    expect(decode(line)).toEqual({event: e, batchEnd: e.seq});
  });

  it('stamps the batch end only on lines of a multi-event batch, and never returns it in the event', () => {
    expect(JSON.parse(encodeLine(event(), 42))).not.toHaveProperty('b');
    expect(JSON.parse(encodeLine(event(), 44))).toHaveProperty('b', 44);
    const decoded = decode(encodeLine(event(), 44));
    expect(decoded).toMatchObject({batchEnd: 44});
    expect(typeof decoded !== 'string' && decoded.event).not.toHaveProperty('b');
  });

  it('detects a damaged byte anywhere in a line', () => {
    const line = Buffer.from(encodeLine(event({data: {slug: 'spor', path: '/home/ada/src/spor', note: 'ü'}})));
    let checked = 0;
    for (let i = 0; i < line.length; i += 1) {
      for (const mask of [0x01, 0x02, 0x10, 0x20, 0x80, 0xff]) {
        const damaged = Buffer.from(line);
        damaged[i] = (damaged[i] as number) ^ mask;
        expect(typeof decodeLine(damaged, 0, damaged.length), `byte ${i} ^ ${mask}`).toBe('string');
        checked += 1;
      }
    }
    expect(checked).toBe(line.length * 6);
  });

  it('refuses every strict prefix of a line (a torn write) and names why', () => {
    const line = Buffer.from(encodeLine(event()));
    for (let cut = 0; cut < line.length; cut += 1) {
      expect(typeof decodeLine(line, 0, cut), `cut at ${cut}`).toBe('string');
    }
    expect(decodeLine(line, 0, 10)).toBe('no checksum');
  });

  it('says why a line is not a record', () => {
    const good = encodeLine(event());
    expect(decode(good.replace('"spor"', '"spar"'))).toBe('checksum mismatch');
    expect(decode(good.replace(/"crc":"[0-9a-f]{8}"/, '"crc":"zzzzzzzz"'))).toBe('no checksum');
    expect(decode('{"seq":1,"id":"a","type":"x"}')).toBe('no checksum');
    // A checksum that matches bytes which are not an event envelope.
    const body = '{"hello":"world"}';
    const notEvent = `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}`;
    expect(decode(notEvent)).toBe('not an event');
  });

  it('decodes a line in the middle of a larger buffer by its bounds', () => {
    const a = encodeLine(event({seq: 1, id: 'a'}));
    const b = encodeLine(event({seq: 2, id: 'b'}));
    const buf = Buffer.from(`${a}\n${b}\n`);
    const start = a.length + 1;
    expect(decodeLine(buf, start, start + Buffer.byteLength(b))).toEqual({
      event: event({seq: 2, id: 'b'}),
      batchEnd: 2,
    });
  });
});
