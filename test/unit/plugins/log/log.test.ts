import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EVENT_STORE} from '../../../../core/tokens.js';
import {resolve} from '../../../../core/di.js';
import {readLog, type LoggedEvent} from '../../../helpers/readLog.js';
import {tempHome} from '../../../helpers/tempHome.js';
import {seed, session} from './fixtures.js';

const seqsOf = (stdout: string): Array<number> =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(/^#(\d+) /.exec(l)?.[1]));
const jsonLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const secondsOnly = (at: string): string => at.replace(/\.\d+Z$/, 'Z');

describe('spor log', () => {
  it('prints one line per event, oldest first, with summary, time and actor', async () => {
    const run = session();
    const {home} = tempHome();
    const {events, dirs} = await seed(run, home);
    const r = await run(['log'], home);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(seqsOf(r.stdout)).toEqual(events.map((e) => e.seq));
    const first = events[0] as LoggedEvent;
    expect(lines[0]).toBe(`#1  ${secondsOnly(first.at)}  repo-added  a → ${dirs.a}  (${first.actor})`);
    expect(lines[3]).toContain('  repo-removed  a  ');
    // An old version is upcast before its summary is taken; an unknown type shows its data as JSON.
    expect(lines[4]).toBe('#5  2026-11-24T11:00:00Z  demo-noted  noted: hello  (machine:old)');
    expect(lines[5]).toBe('#6  2026-11-24T12:00:00Z  mystery-happened  {"x":1}  (machine:elsewhere)');
  });

  it('--type keeps events of any of the given types (repeated or comma-separated)', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    const want = events.filter((e) => e.type === 'repo-removed' || e.type === 'mystery-happened').map((e) => e.seq);
    expect(want).toHaveLength(2);
    expect(seqsOf((await run(['log', '--type', 'repo-removed', '--type', 'mystery-happened'], home)).stdout)).toEqual(
      want,
    );
    expect(seqsOf((await run(['log', '--type', 'repo-removed,mystery-happened'], home)).stdout)).toEqual(want);
  });

  it('a --type nobody declares or recorded matches nothing, says so, and suggests the near miss', async () => {
    const run = session();
    const {home} = tempHome();
    await seed(run, home);
    const r = await run(['log', '--type', 'repo-add'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no events match (6 in the log)\n');
    expect(r.stderr).toContain(`no event type 'repo-add' is known (did you mean 'repo-added'?)`);
  });

  it('--since <seq> starts at that seq, inclusive', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    expect(seqsOf((await run(['log', '--since', '3'], home)).stdout)).toEqual(
      events.filter((e) => e.seq >= 3).map((e) => e.seq),
    );
    expect((await run(['log', '--since', '99'], home)).stdout).toBe('no events match (6 in the log)\n');
  });

  it('--since <ISO time> keeps events at or after that time', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    const third = events[2] as LoggedEvent;
    const atOrAfter = (iso: string) => events.filter((e) => Date.parse(e.at) >= Date.parse(iso)).map((e) => e.seq);
    expect(atOrAfter(third.at)).toEqual([3, 4, 5, 6]);
    expect(seqsOf((await run(['log', '--since', third.at], home)).stdout)).toEqual(atOrAfter(third.at));
    expect(seqsOf((await run(['log', '--since', '2026-11-24T11:00:00Z'], home)).stdout)).toEqual([5, 6]);
    // A bare date is local midnight; these are days away from the events in any time zone.
    expect(seqsOf((await run(['log', '--since', '2026-11-22'], home)).stdout)).toEqual(events.map((e) => e.seq));
    expect((await run(['log', '--since', '2026-11-26'], home)).stdout).toContain('no events match');
  });

  it('--limit N keeps the last N matching events, after the other filters', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    expect(seqsOf((await run(['log', '--limit', '2'], home)).stdout)).toEqual(events.slice(-2).map((e) => e.seq));
    const added = events.filter((e) => e.type === 'repo-added').map((e) => e.seq);
    expect(seqsOf((await run(['log', '--type', 'repo-added', '--limit', '2'], home)).stdout)).toEqual(added.slice(-2));
    expect(seqsOf((await run(['log', '--limit', '100'], home)).stdout)).toEqual(events.map((e) => e.seq));
  });

  it.each([
    [['--since', 'yesterday'], `invalid --since 'yesterday'`],
    [['--since', '2026-13-45'], `invalid --since '2026-13-45'`],
    [['--limit', '0'], `invalid --limit '0'`],
    [['--limit', 'ten'], `invalid --limit 'ten'`],
  ])('refuses %j with exit 2 and a hint, printing no events', async (args, message) => {
    const run = session();
    const {home} = tempHome();
    await seed(run, home);
    const r = await run(['log', ...args], home);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`spor: ${message}`);
    expect(r.stderr).toContain('hint: ');
  });

  it('--json prints NDJSON: the stored envelope without storage fields, upcast when the type is known', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    const r = await run(['log', '--json'], home);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const printed = jsonLines(r.stdout);
    expect(printed).toHaveLength(events.length);
    for (const p of printed) {
      const keys = Object.keys(p);
      expect(keys.slice(0, 7)).toEqual(['id', 'seq', 'type', 'v', 'at', 'actor', 'data']);
      expect(keys.filter((k) => !['id', 'seq', 'type', 'v', 'at', 'actor', 'data', 'causation'].includes(k))).toEqual(
        [],
      );
    }
    // Events of known types at their current version come out exactly as stored, minus the crc.
    const stored = events.slice(0, 4).map((e) => {
      const {crc: _crc, ...rest} = e as LoggedEvent & {crc?: string};
      return rest;
    });
    expect(printed.slice(0, 4)).toEqual(stored);
    expect(printed[4]).toEqual({
      id: 'old-note',
      seq: 5,
      type: 'demo-noted',
      v: 2,
      at: '2026-11-24T11:00:00.000Z',
      actor: 'machine:old',
      data: {note: 'hello'},
    });
    expect(printed[5]).toEqual({
      id: 'mystery',
      seq: 6,
      type: 'mystery-happened',
      v: 3,
      at: '2026-11-24T12:00:00.000Z',
      actor: 'machine:elsewhere',
      data: {x: 1},
      causation: 'old-note',
    });
  });

  it('--json drops the batch marker of events appended together', async () => {
    const run = session();
    const {home} = tempHome();
    const first = await run(['log'], home);
    const store = resolve(first.booted.container, EVENT_STORE);
    await store.append([
      {type: 'repo-added', data: {slug: 'x', path: '/x'}},
      {type: 'repo-added', data: {slug: 'y', path: '/y'}},
    ]);
    expect(readLog(home)[0]).toHaveProperty('b', 2);
    const printed = jsonLines((await run(['log', '--json'], home)).stdout);
    expect(printed.map((p) => p.seq)).toEqual([1, 2]);
    for (const p of printed) {
      expect(p).not.toHaveProperty('b');
      expect(p).not.toHaveProperty('crc');
    }
  });

  it('an empty log prints a friendly line (nothing with --json) and creates no SPOR_HOME', async () => {
    const run = session();
    const {home, sporHome} = tempHome();
    const text = await run(['log'], home);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('the event log is empty\n');
    const json = await run(['log', '--json', '--type', 'repo-added', '--since', '1', '--limit', '5'], home);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('');
    expect(existsSync(sporHome)).toBe(false);
  });

  it('hides an unterminated final record (a writer still at work) and reports mid-log damage after what it could read', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    const {appendFileSync, readFileSync, writeFileSync} = await import('node:fs');
    const file = join(home, '.spor', 'events.jsonl');
    appendFileSync(file, '{"seq":7,"id":"half","type":"repo-add');
    expect(seqsOf((await run(['log'], home)).stdout)).toEqual(events.map((e) => e.seq));
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace('"slug":"c"', '"slug":"C"');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['log'], home);
    expect(r.code).toBe(1);
    expect(seqsOf(r.stdout)).toEqual([1, 2]);
    expect(r.stderr).toContain('spor: the event log is damaged at record 3');
    expect(r.stderr).toContain('spor doctor');
  });
});
