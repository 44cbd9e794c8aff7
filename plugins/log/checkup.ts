import {closeSync, existsSync, openSync, readSync} from 'node:fs';
import {
  type EventStore,
  acquireLock,
  type SporPaths,
  readUserPlugins,
  type PluginRegistry,
  type Projector,
} from '../../core/index.js';

/** A problem in the log, located for a person: record (its due seq), byte offset and line. */
export interface LogIssue {
  kind: 'torn' | 'corrupt';
  record: number;
  offset: number;
  line: number;
  reason: string;
  /** Torn tail: how many bytes follow the last committed record. */
  bytes?: number;
  /** Damaged record: the start of its line, control bytes escaped. */
  excerpt?: string;
}

export type SnapshotStatus = 'current' | 'behind' | 'missing' | 'unreadable' | 'stale' | 'mismatched' | 'differs';

/** One slice's snapshot file. Anything but current/behind is rebuilt on the next read. */
export interface SnapshotState {
  slice: string;
  status: SnapshotStatus;
  seq?: number;
}

export interface UserPluginsState {
  path: string;
  status: 'absent' | 'ok' | 'broken';
  plugins?: number;
  error?: string;
}

/** What `spor doctor` found. */
export interface Checkup {
  log: {path: string; exists: boolean; size: number; records: number; last_seq: number; committed_end: number};
  issues: Array<LogIssue>;
  snapshots: Array<SnapshotState>;
  user_plugins: UserPluginsState;
  /** False when another process held the log lock throughout: a torn tail may be a write in progress. */
  locked: boolean;
}

export interface CheckupDeps {
  store: EventStore;
  paths: SporPaths;
  registry: PluginRegistry;
  projector: Projector;
}

export const isHealthy = (c: Checkup): boolean =>
  c.issues.length === 0 && c.user_plugins.status !== 'broken' && !c.snapshots.some((s) => s.status === 'differs');

const EXCERPT_BYTES = 160;

/**
 * Verifies every record and looks at the snapshots and the user plugins file. Writes nothing. The
 * log is inspected holding its lock (when it can be had within a few seconds) so a record another
 * process is writing right now is not mistaken for a torn tail.
 */
export const checkup = async ({store, paths, registry, projector}: CheckupDeps): Promise<Checkup> => {
  const exists = existsSync(paths.log);
  const handle = exists ? await acquireLock(paths.home, 5_000).catch(() => undefined) : undefined;
  let report;
  try {
    report = store.inspect();
  } finally {
    handle?.release();
  }
  const lines = lineNumbers(
    paths.log,
    report.issues.map((i) => i.offset),
  );
  const issues = report.issues.map((i): LogIssue => ({
    kind: i.kind,
    record: i.record,
    offset: i.offset,
    line: lines.get(i.offset) ?? 1,
    reason: i.reason,
    ...(i.kind === 'torn' ? {bytes: report.size - i.offset} : {excerpt: excerptAt(store, i.offset, report.size)}),
  }));
  return {
    log: {
      path: paths.log,
      exists,
      size: report.size,
      records: report.records,
      last_seq: report.lastSeq,
      committed_end: report.committedEnd,
    },
    issues,
    snapshots: compared(projector, [...registry.projections.keys()], report.lastSeq, report.issues.length === 0),
    user_plugins: userPluginsState(paths.userPlugins),
    locked: !exists || handle !== undefined,
  };
};

// Counts newlines in one pass for all offsets (each record is a line, so editors can jump to it).
const lineNumbers = (file: string, offsets: ReadonlyArray<number>): Map<number, number> => {
  const found = new Map<number, number>();
  if (offsets.length === 0) return found;
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let position = 0;
    let line = 1;
    let next = 0;
    while (next < wanted.length) {
      const got = readSync(fd, buf, 0, buf.length, position);
      const chunk = buf.subarray(0, got);
      for (let i = chunk.indexOf(10); ; i = chunk.indexOf(10, i + 1)) {
        const at = i === -1 ? position + got : position + i;
        while (next < wanted.length && (wanted[next] as number) <= at) found.set(wanted[next++] as number, line);
        if (i === -1) break;
        line += 1;
      }
      if (got <= 0) break;
      position += got;
    }
    for (; next < wanted.length; next += 1) found.set(wanted[next] as number, line);
  } finally {
    closeSync(fd);
  }
  return found;
};

const excerptAt = (store: EventStore, offset: number, size: number): string => {
  const end = Math.min(size, offset + EXCERPT_BYTES + 1);
  const bytes = store.readBefore(end, end - offset);
  const nl = bytes.indexOf(10);
  const line = bytes.subarray(0, nl === -1 ? bytes.length : nl);
  const shown = line
    .subarray(0, EXCERPT_BYTES)
    .toString('utf8')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\ufffd]/g, (c) =>
      c === '\ufffd' ? '\\ufffd' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  return line.length > EXCERPT_BYTES ? `${shown}…` : shown;
};

// Each usable snapshot is also compared with a replay of the log (when the log reads cleanly): one
// that passes every check yet holds something the log does not say is reported as `differs`.
const compared = (
  projector: Projector,
  slices: Array<string>,
  lastSeq: number,
  clean: boolean,
): Array<SnapshotState> => {
  const states = slices.map((slice) => snapshotState(projector, slice, lastSeq));
  if (!clean) return states;
  const matches = projector.compareWithReplay(
    states.filter((s) => s.status === 'current' || s.status === 'behind').map((s) => s.slice),
  );
  return states.map((s) => (matches.get(s.slice) === false ? {...s, status: 'differs'} : s));
};

// The projector's own judgement, reported instead of acted on.
const snapshotState = (projector: Projector, slice: string, lastSeq: number): SnapshotState => {
  const {status, seq} = projector.examine(slice);
  if (status !== 'usable') return seq === undefined ? {slice, status} : {slice, status, seq};
  const at = seq as number;
  if (at > lastSeq) return {slice, status: 'mismatched', seq: at};
  return {slice, status: at === lastSeq ? 'current' : 'behind', seq: at};
};

const userPluginsState = (path: string): UserPluginsState => {
  if (!existsSync(path)) return {path, status: 'absent'};
  const {entries, error} = readUserPlugins(path);
  return error
    ? {path, status: 'broken', plugins: entries.length, error}
    : {path, status: 'ok', plugins: entries.length};
};
