import {RefusalError} from '../../core/index.js';
import {isHealthy, type Checkup, type LogIssue, type SnapshotState} from './checkup.js';
import type {Repair} from './repair.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const SHOWN_ISSUES = 10;

const snapshotLine = (s: SnapshotState, lastSeq: number): string => {
  switch (s.status) {
    case 'current':
      return `up to date (seq ${s.seq})`;
    case 'behind':
      return `at seq ${s.seq}, ${plural(lastSeq - (s.seq ?? 0), 'event')} behind (folded in on the next read)`;
    case 'missing':
      return 'none yet (written on the next read, or now with --repair)';
    case 'unreadable':
      return 'unreadable (rebuilt on the next read, or now with --repair)';
    case 'stale':
      return `from an older version of its plugin (rebuilt on the next read, or now with --repair)`;
    case 'differs':
      return `at seq ${s.seq}, but holds something a replay of the log does not (rebuilt now with --repair)`;
    case 'mismatched':
      return `claims seq ${s.seq}, which does not match the log (rebuilt on the next read, or now with --repair)`;
  }
};

const issueLines = (issue: LogIssue): Array<string> =>
  issue.kind === 'torn'
    ? [
        `torn tail: record ${issue.record} at byte ${issue.offset} (line ${issue.line}) is incomplete: ${issue.reason}, ${plural(issue.bytes ?? 0, 'byte')}.`,
        `  A writer stopped mid-append (crash or kill); that append never returned, so nothing committed is lost.`,
        `  \`spor doctor --repair\` cuts the log back to the last committed record (the next write would too).`,
      ]
    : [
        `damaged record ${issue.record} at byte ${issue.offset} (line ${issue.line}): ${issue.reason}`,
        `  ${issue.excerpt ?? ''}`,
      ];

/** The human report: the log's state, each problem located, the snapshots and the plugins file. */
export const renderCheckup = (c: Checkup, done?: Repair): Array<string> => {
  const out: Array<string> = [];
  if (done) out.push(...repairLines(done), '');
  out.push(`event log  ${c.log.path}`);
  if (!c.log.exists) {
    out.push('  no event log yet: nothing has been recorded on this machine');
  } else {
    const corruptCount = c.issues.filter((i) => i.kind === 'corrupt').length;
    const total = c.log.records + corruptCount;
    const top = Math.max(c.log.last_seq, ...c.issues.filter((i) => i.kind === 'corrupt').map((i) => i.record));
    const range = total === 0 ? 'no records' : `${plural(total, 'record')} (seq 1..${top})`;
    const verdict =
      c.issues.length === 0
        ? 'every checksum valid, seq gap-free'
        : corruptCount > 0
          ? `${corruptCount} damaged`
          : 'a torn tail';
    out.push(`  ${range}, ${plural(c.log.size, 'byte')}: ${total === 0 && c.issues.length === 0 ? 'empty' : verdict}`);
  }
  const corrupt = c.issues.filter((i) => i.kind === 'corrupt');
  for (const issue of c.issues.slice(0, SHOWN_ISSUES)) out.push(...issueLines(issue).map((l) => `  ${l}`));
  if (c.issues.length > SHOWN_ISSUES)
    out.push(`  … and ${plural(c.issues.length - SHOWN_ISSUES, 'more problem')} (see \`spor doctor --json\`)`);
  if (corrupt.length > 0) {
    out.push(
      `  Nothing after a damaged record was dropped: every other record is still in the log and verified.`,
      `  spor refuses to write until the log is mended. To proceed, either restore ${c.log.path} from a backup,`,
      `  or fix ${corrupt.length === 1 ? `line ${corrupt[0]?.line ?? ''}` : 'each damaged line'} by hand so it holds exactly what was written (its checksum then matches), then run \`spor doctor\` again.`,
      `  --repair renumbers intact records that are out of sequence (two writers stamped one seq) and drops a`,
      `  damaged final record only when its writer never saw it acknowledged, keeping a copy of the log; it never`,
      `  drops any other record.`,
    );
  }
  if (!c.locked)
    out.push('  (another spor process held the log lock throughout; a torn tail may be a write still in progress)');
  if (c.log.exists && c.snapshots.length > 0) {
    out.push('snapshots');
    const width = Math.max(...c.snapshots.map((s) => s.slice.length));
    for (const s of c.snapshots) out.push(`  ${s.slice.padEnd(width)}  ${snapshotLine(s, c.log.last_seq)}`);
  }
  const up = c.user_plugins;
  out.push(
    `user plugins  ${up.path}`,
    up.status === 'absent'
      ? '  none added'
      : up.status === 'ok'
        ? `  ${plural(up.plugins ?? 0, 'plugin')}`
        : `  broken: ${up.error}`,
  );
  out.push(isHealthy(c) ? 'healthy' : 'problems found');
  return out;
};

const repairLines = (r: Repair): Array<string> => {
  if (r.refused) return [`--repair: ${r.refused}`];
  const lines: Array<string> = [];
  if (r.mended) {
    const m = r.mended;
    if (m.renumbered > 0)
      lines.push(
        `repaired: renumbered ${plural(m.renumbered, 'intact record')} from seq ${m.from_seq ?? 0} so the seq is gap-free again (nothing dropped)`,
      );
    for (const d of m.dropped)
      lines.push(
        `repaired: dropped record ${d.record} at byte ${d.offset} (${plural(d.bytes, 'byte')}, ${d.reason}): its writer never saw it acknowledged`,
      );
    lines.push(`  the log as it was is kept in ${m.quarantine}`);
  }
  if (r.truncated) {
    lines.push(
      `repaired: cut a torn tail of ${plural(r.truncated.truncated_bytes, 'byte')} at byte ${r.truncated.from_offset}` +
        `${r.truncated.event_seq === undefined ? '' : ` (recorded as log-repaired #${r.truncated.event_seq})`}`,
    );
  }
  lines.push(
    r.snapshots.length === 0
      ? 'no snapshots to rebuild'
      : `rebuilt snapshots: ${r.snapshots.join(', ')} (at seq ${r.snapshot_seq ?? 0})`,
  );
  if (r.user_plugins === 'rewritten') lines.push('rewrote spor.plugins.json from the log');
  else if (typeof r.user_plugins === 'object')
    lines.push(`could not rewrite spor.plugins.json: ${r.user_plugins.error}`);
  return lines;
};

/** The one-line error for what is still wrong (stdout has the details), or undefined if healthy. */
export const problemError = (c: Checkup, repaired: boolean): RefusalError | undefined => {
  const corrupt = c.issues.find((i) => i.kind === 'corrupt');
  if (corrupt) {
    const more = c.issues.filter((i) => i.kind === 'corrupt').length - 1;
    return new RefusalError(
      `the event log is damaged at record ${corrupt.record} (byte ${corrupt.offset}, line ${corrupt.line}: ${corrupt.reason})${more > 0 ? ` and ${plural(more, 'other place')}` : ''}`,
      {
        code: 'E_LOG_DAMAGED',
        hint: repaired
          ? `restore ${c.log.path} from a backup, or fix line ${corrupt.line} by hand; --repair never drops a record that may have been saved`
          : 'run `spor doctor --repair`: it renumbers intact records out of sequence and drops only a damaged final record never acknowledged (keeping a copy)',
      },
    );
  }
  const torn = c.issues.find((i) => i.kind === 'torn');
  if (torn) {
    return new RefusalError(
      `the event log ends in a torn record (record ${torn.record} at byte ${torn.offset}: ${torn.reason})`,
      {
        code: 'E_LOG_TORN',
        hint: repaired
          ? 'run `spor doctor` again; another process may be writing'
          : 'run `spor doctor --repair` to cut it back to the last committed record',
      },
    );
  }
  const differs = c.snapshots.filter((s) => s.status === 'differs');
  if (differs.length > 0) {
    return new RefusalError(
      `the ${differs.map((s) => s.slice).join(', ')} snapshot${differs.length > 1 ? 's hold' : ' holds'} something a replay of the log does not`,
      {
        code: 'E_SNAPSHOT_DIFFERS',
        hint: repaired ? 'run `spor doctor` again' : 'run `spor doctor --repair` to rebuild it from the log',
      },
    );
  }
  if (c.user_plugins.status === 'broken') {
    return new RefusalError(`${c.user_plugins.path} is broken`, {
      code: 'E_USER_PLUGINS_FILE',
      hint: repaired
        ? 'fix or delete the file by hand, then run `spor doctor --repair` again'
        : 'run `spor doctor --repair` to rewrite it from the log',
    });
  }
  return undefined;
};
