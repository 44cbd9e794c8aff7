import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../core/events.js';
import {encodeLine} from '../../core/logFormat.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const logFile = (sporHome: string): string => join(sporHome, 'events.jsonl');
const quarantined = (sporHome: string): Array<string> =>
  readdirSync(sporHome).filter((f) => f.startsWith('events.jsonl.quarantined-'));

/** A record as another writer (holding a lock this one missed) would have stamped it. */
const stray = (seq: number, slug: string, path: string): string =>
  `${encodeLine({
    id: `stray-${slug}`,
    seq,
    type: 'repo-added',
    v: 2,
    at: '2026-11-24T10:00:00.000Z',
    actor: 'machine:other',
    data: {slug, path},
  } as SporEvent)}\n`;

describe('spor doctor --repair mends what two writers or a dying one left', () => {
  it('a duplicated seq: writes refuse; --repair renumbers, keeps every record and a copy, and writes work again', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    for (const slug of ['a', 'b']) expect((await runSpor(['repos', 'add', slug, work], {home})).exitCode).toBe(0);
    // What two writers that each thought they held the lock leave: a second record with seq 2.
    writeFileSync(logFile(sporHome), stray(2, 'c', work), {flag: 'a'});
    const before = readFileSync(logFile(sporHome));

    const blocked = await runSpor(['repos', 'add', 'd', work], {home});
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toContain('the event log is damaged at record 3');
    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('hint: run `spor doctor --repair`');

    const fixed = await runSpor(['doctor', '--repair'], {home});
    expect(fixed.stderr).toBe('');
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain('repaired: renumbered 1 intact record from seq 3');
    const [copy] = quarantined(sporHome);
    expect(fixed.stdout).toContain(`the log as it was is kept in ${join(sporHome, copy ?? '?')}`);
    expect(readFileSync(join(sporHome, copy ?? '?')).equals(before)).toBe(true);
    expect(readLog(home).map((e) => [e.seq, e.data.slug])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);

    expect((await runSpor(['repos', 'add', 'd', work], {home})).exitCode).toBe(0);
    expect(readLog(home).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const list = JSON.parse((await runSpor(['repos', 'list', '--json'], {home})).stdout) as Array<{slug: string}>;
    expect(list.map((r) => r.slug).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect((await runSpor(['doctor'], {home})).exitCode).toBe(0);
  });

  it('a damaged final record its writer never saw acknowledged is dropped (said, and kept in a copy)', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    for (const slug of ['a', 'b']) expect((await runSpor(['repos', 'add', slug, work], {home})).exitCode).toBe(0);
    const committed = readFileSync(logFile(sporHome)).length;
    const line = stray(3, 'c', work).replace('"slug":"c"', '"slug":"x"');
    writeFileSync(logFile(sporHome), line, {flag: 'a'});

    const fixed = await runSpor(['doctor', '--repair'], {home});
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain(
      `repaired: dropped record 3 at byte ${committed} (${Buffer.byteLength(line)} bytes, checksum mismatch): its writer never saw it acknowledged`,
    );
    expect(quarantined(sporHome)).toHaveLength(1);
    expect(readLog(home).map((e) => e.data.slug)).toEqual(['a', 'b']);
    expect((await runSpor(['repos', 'add', 'd', work], {home})).exitCode).toBe(0);
  });

  it('a damaged final record that was acknowledged is never dropped', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    for (const slug of ['a', 'b']) expect((await runSpor(['repos', 'add', slug, work], {home})).exitCode).toBe(0);
    const buf = readFileSync(logFile(sporHome));
    const at = buf.lastIndexOf('"slug":"b"') + 8;
    buf[at] = 'z'.charCodeAt(0);
    writeFileSync(logFile(sporHome), buf);

    const refused = await runSpor(['doctor', '--repair'], {home});
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(
      'and was acknowledged to its writer; a damaged record that may have been saved is never dropped',
    );
    expect(readFileSync(logFile(sporHome)).equals(buf)).toBe(true);
    expect(quarantined(sporHome)).toEqual([]);
  });

  it('a write that finds a torn tail cuts it, says so on stderr and records log-repaired before its own event', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    expect((await runSpor(['repos', 'add', 'a', work], {home})).exitCode).toBe(0);
    const committed = readFileSync(logFile(sporHome)).length;
    writeFileSync(logFile(sporHome), '{"seq":2,"id":"half', {flag: 'a'});

    const r = await runSpor(['repos', 'add', 'b', work], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      `spor: warning: the event log ended in an incomplete record (19 bytes at byte ${committed}, left by a writer that stopped mid-append); cut it off; recorded as log-repaired #2`,
    );
    expect(readLog(home).map((e) => [e.seq, e.type])).toEqual([
      [1, 'repo-added'],
      [2, 'log-repaired'],
      [3, 'repo-added'],
    ]);
    expect(readLog(home)[1]?.data).toEqual({truncated_bytes: 19, from_offset: committed});
  });
});
