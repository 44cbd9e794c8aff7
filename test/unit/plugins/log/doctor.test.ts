import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Checkup} from '../../../../plugins/log/checkup.js';
import type {Repair} from '../../../../plugins/log/repair.js';
import {readLog} from '../../../helpers/readLog.js';
import {tempHome} from '../../../helpers/tempHome.js';
import {seed, session} from './fixtures.js';

type DoctorJson = Checkup & {healthy: boolean; repair?: Repair};
const doctor = async (run: ReturnType<typeof session>, home: string, ...flags: Array<string>) => {
  const r = await run(['doctor', '--json', ...flags], home);
  return {...r, report: JSON.parse(r.stdout) as DoctorJson};
};

describe('spor doctor (in process)', () => {
  it('a healthy log: counts, no issues, exit 0', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    const {code, report} = await doctor(run, home);
    expect(code).toBe(0);
    expect(report.healthy).toBe(true);
    expect(report.log).toMatchObject({exists: true, records: events.length, last_seq: events.length});
    expect(report.issues).toEqual([]);
  });

  it('a lost line is reported once, at the record that is missing, and --repair changes nothing', async () => {
    const run = session();
    const {home} = tempHome();
    await seed(run, home);
    const file = join(home, '.spor', 'events.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const offset = Buffer.byteLength(lines.slice(0, 2).join('\n')) + 1;
    writeFileSync(file, [...lines.slice(0, 2), ...lines.slice(3)].join('\n'));
    const before = readFileSync(file);
    const {code, report, stderr} = await doctor(run, home);
    expect(code).toBe(1);
    expect(report.issues).toEqual([
      expect.objectContaining({kind: 'corrupt', record: 3, offset, line: 3, reason: 'seq 4 where 3 was due'}),
    ]);
    expect(stderr).toContain('spor: the event log is damaged at record 3');
    const repaired = await doctor(run, home, '--repair');
    expect(repaired.code).toBe(1);
    expect(repaired.report.repair?.refused).toMatch(
      /the record after seq 2 is missing .*renumbering would hide the loss/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports each snapshot (stale version, missing) and --repair rebuilds them all to the last seq', async () => {
    const run = session();
    const {home} = tempHome();
    const {events} = await seed(run, home);
    await run(['repos', 'list'], home);
    const snapshots = join(home, '.spor', 'snapshots');
    const repos = JSON.parse(readFileSync(join(snapshots, 'repos.json'), 'utf8')) as {version: number};
    writeFileSync(join(snapshots, 'repos.json'), JSON.stringify({...repos, version: repos.version + 1}));
    rmSync(join(snapshots, 'settings.json'), {force: true});
    const {code, report} = await doctor(run, home);
    expect(code).toBe(0);
    expect(report.snapshots).toEqual(
      expect.arrayContaining([
        expect.objectContaining({slice: 'repos', status: 'stale'}),
        {slice: 'settings', status: 'missing'},
      ]),
    );
    const repaired = await doctor(run, home, '--repair');
    expect(repaired.code).toBe(0);
    expect(repaired.report.repair?.snapshots).toEqual(expect.arrayContaining(['repos', 'settings']));
    for (const s of repaired.report.snapshots)
      expect(s).toEqual({slice: s.slice, status: 'current', seq: events.length});
    expect(JSON.parse(readFileSync(join(snapshots, 'repos.json'), 'utf8'))).toMatchObject({
      version: repos.version,
      seq: events.length,
    });
    // Nothing was wrong with the log, so nothing was recorded in it.
    expect(readLog(home)).toHaveLength(events.length);
  });

  it('with no SPOR_HOME: healthy, and --repair creates nothing', async () => {
    const run = session();
    const {home, sporHome} = tempHome();
    const {code, report} = await doctor(run, home, '--repair');
    expect(code).toBe(0);
    expect(report.log.exists).toBe(false);
    expect(report.repair?.refused).toMatch(/no SPOR_HOME/);
    const {existsSync} = await import('node:fs');
    expect(existsSync(sporHome)).toBe(false);
  });
});
