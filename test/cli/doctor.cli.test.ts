import {existsSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../core/events.js';
import {encodeLine} from '../../core/logFormat.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const logFile = (home: string): string => join(home, '.spor', 'events.jsonl');

/** `count` repos mapped through the CLI; returns the directory they point at. */
const addRepos = async (home: string, count: number): Promise<string> => {
  const work = tempDir();
  for (let i = 1; i <= count; i += 1) expect((await runSpor(['repos', 'add', `r${i}`, work], {home})).exitCode).toBe(0);
  return work;
};

// The seal lets a writer trust a file whose size and mtime it recorded; an edit made within the
// same clock tick as the last append would keep the mtime, which no person editing a file manages.
// So the edit is dated a second after the log's last write, rather than made after a pause.
const editLater = (file: string, content: Buffer): void => {
  const later = statSync(file).mtimeMs / 1000 + 1;
  writeFileSync(file, content);
  utimesSync(file, later, later);
};

/** Byte offsets at which each line of the log starts. */
const lineStarts = (file: string): Array<number> => {
  const buf = readFileSync(file);
  const starts = [0];
  for (let i = buf.indexOf(10); i !== -1 && i < buf.length - 1; i = buf.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
};

describe('spor doctor', () => {
  it('a healthy log: exit 0, every record verified', async () => {
    const {home} = tempHome();
    await addRepos(home, 3);
    const r = await runSpor(['doctor'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('3 records (seq 1..3)');
    expect(r.stdout).toContain('every checksum valid, seq gap-free');
    expect(r.stdout.split('\n').at(-1)).toBe('healthy');
    expect(r.stderr).toBe('');
  });

  it('a final record cut mid-line: exit 1 naming the torn tail; --repair cuts it and the next append lands cleanly', async () => {
    const {home} = tempHome();
    const work = await addRepos(home, 4);
    const file = logFile(home);
    const starts = lineStarts(file);
    const lastStart = starts[3] as number;
    const size = readFileSync(file).length;
    truncateSync(file, lastStart + Math.floor((size - lastStart) / 2));
    const tornBytes = readFileSync(file).length - lastStart;

    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(
      `torn tail: record 4 at byte ${lastStart} (line 4) is incomplete: unterminated final record, ${tornBytes} bytes`,
    );
    expect(check.stderr).toContain('spor: the event log ends in a torn record (record 4');
    expect(check.stderr).toContain('hint: run `spor doctor --repair`');
    expect(readFileSync(file).length).toBe(lastStart + tornBytes);

    const fixed = await runSpor(['doctor', '--repair'], {home});
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain(
      `cut a torn tail of ${tornBytes} bytes at byte ${lastStart} (recorded as log-repaired #4)`,
    );
    expect(fixed.stdout.split('\n').at(-1)).toBe('healthy');
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(readLog(home).map((e) => [e.seq, e.type])).toEqual([
      [1, 'repo-added'],
      [2, 'repo-added'],
      [3, 'repo-added'],
      [4, 'log-repaired'],
    ]);
    expect(readLog(home)[3]?.data).toEqual({truncated_bytes: tornBytes, from_offset: lastStart});

    expect((await runSpor(['repos', 'add', 'after', work], {home})).exitCode).toBe(0);
    const after = readLog(home);
    expect(after.at(-1)).toMatchObject({seq: 5, type: 'repo-added', data: {slug: 'after'}});
    expect((await runSpor(['doctor'], {home})).exitCode).toBe(0);
  });

  it('a batch cut short by a crash is a torn tail too, and --repair rolls back the whole batch', async () => {
    const {home} = tempHome();
    await addRepos(home, 2);
    const file = logFile(home);
    const committed = readFileSync(file).length;
    const batch = [3, 4].map((seq) =>
      encodeLine(
        {
          id: `crash-${seq}`,
          seq,
          type: 'repo-removed',
          v: 1,
          at: '2026-11-24T10:00:00.000Z',
          actor: 'machine:test',
          data: {slug: 'r1'},
        } as SporEvent,
        4,
      ),
    );
    writeFileSync(file, `${batch[0]}\n`, {flag: 'a'});

    const check = await runSpor(['doctor', '--json'], {home});
    expect(check.exitCode).toBe(1);
    const report = JSON.parse(check.stdout) as {
      healthy: boolean;
      issues: Array<{kind: string; record: number; offset: number; reason: string}>;
    };
    expect(report.healthy).toBe(false);
    expect(report.issues).toEqual([
      expect.objectContaining({kind: 'torn', record: 3, offset: committed, reason: 'batch cut short'}),
    ]);

    expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added', 'repo-added', 'log-repaired']);
    expect(JSON.parse((await runSpor(['repos', 'list', '--json'], {home})).stdout)).toHaveLength(2);
  });

  it('a flipped byte in a middle record: doctor names it, writes refuse, --repair drops nothing', async () => {
    const {home} = tempHome();
    const work = await addRepos(home, 5);
    const file = logFile(home);
    const starts = lineStarts(file);
    const buf = readFileSync(file);
    const at = buf.indexOf('"slug":"r3"', starts[2]) + 8;
    buf[at] = 's'.charCodeAt(0);
    editLater(file, buf);
    const damaged = Buffer.from(buf);

    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`damaged record 3 at byte ${starts[2]} (line 3): checksum mismatch`);
    expect(check.stdout).toContain('"slug":"s3"');
    expect(check.stdout).toContain('Nothing after a damaged record was dropped');
    expect(check.stdout).toMatch(/restore .*events\.jsonl from a backup/);
    expect(check.stderr).toContain('spor: the event log is damaged at record 3');

    const write = await runSpor(['repos', 'add', 'blocked', work], {home});
    expect(write.exitCode).toBe(1);
    expect(write.stderr).toContain('spor: the event log is damaged at record 3');
    expect(write.stderr).toContain('spor doctor');

    const repair = await runSpor(['doctor', '--repair'], {home});
    expect(repair.exitCode).toBe(1);
    expect(repair.stdout).toContain(
      `--repair: record 3 at byte ${starts[2]} is damaged (checksum mismatch) and is not the last; a damaged record that may have been saved is never dropped; the log was left untouched`,
    );
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('rebuilds a deleted snapshot', async () => {
    const {home, sporHome} = tempHome();
    await addRepos(home, 2);
    expect((await runSpor(['repos', 'list'], {home})).exitCode).toBe(0);
    const snapshot = join(sporHome, 'snapshots', 'repos.json');
    expect(existsSync(snapshot)).toBe(true);
    rmSync(snapshot);

    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toMatch(/repos\s+none yet/);

    const fixed = await runSpor(['doctor', '--repair'], {home});
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toMatch(/rebuilt snapshots: .*repos/);
    expect(fixed.stdout).toMatch(/repos\s+up to date \(seq 2\)/);
    const rebuilt = JSON.parse(readFileSync(snapshot, 'utf8')) as {
      seq: number;
      state: {bySlug: Record<string, string>};
    };
    expect(rebuilt.seq).toBe(2);
    expect(Object.keys(rebuilt.state.bySlug).sort()).toEqual(['r1', 'r2']);
    expect(readLog(home)).toHaveLength(2);
  });

  it('names a broken spor.plugins.json; --repair rewrites it from the log', async () => {
    const {home, sporHome} = tempHome();
    await addRepos(home, 1);
    const file = join(sporHome, 'spor.plugins.json');
    writeFileSync(file, '{"apiVersion": 1, "plugins": [');

    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/user plugins {2}.*spor\.plugins\.json\n {2}broken: /);
    expect(check.stderr).toContain(`spor: ${file} is broken`);

    const fixed = await runSpor(['doctor', '--repair'], {home});
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain('rewrote spor.plugins.json from the log');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({apiVersion: 1, plugins: []});
    expect((await runSpor(['doctor'], {home})).exitCode).toBe(0);
  });
});
