import {chmodSync, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {EventCatalog} from './catalog.js';
import {inject, injectable} from './di.js';
import {StoreError} from './errors.js';
import type {SporEvent} from './events.js';
import type {EventStore} from './eventStore.js';
import {tryLock} from './lock.js';
import {checksum} from './logFormat.js';
import type {SporPaths} from './paths.js';
import type {Projection, SporStateMap} from './plugin.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {EVENT_CATALOG, EVENT_STORE, PATHS, PLUGIN_REGISTRY} from './tokens.js';

/**
 * A slice as stored on disk: the state after record `seq`, which ends at byte `offset`. A slice
 * with a codec stores its head as `state` and its parts after the first line, each at the byte
 * range `parts` gives (from the end of that line).
 */
interface SliceSnapshot {
  slice: string;
  version: number;
  seq: number;
  offset: number;
  lastId?: string;
  state: unknown;
  parts?: Record<string, [number, number]>;
  /** CRC-32 of the state's JSON and then the parts' bytes, in hex: a snapshot edited by hand (or
   * damaged) does not match and is rebuilt from the log. */
  sum?: string;
}

/** A snapshot as read: its first line, and a reader of the parts that follow it. */
interface ReadSnapshot {
  snap: SliceSnapshot;
  part: (name: string) => Buffer | undefined;
}

interface Working extends SliceSnapshot {
  projection: Projection<unknown>;
  /** The types the projection reads (its `on`), or undefined for every type. */
  wants: ReadonlySet<string> | undefined;
  applied: number;
  /** How many of the events it reads were folded past its snapshot. */
  changed: number;
  rebuilt: boolean;
}

/**
 * Folds one record into the slices that have not seen it. The record is upcast and validated once,
 * and only when some slice reads its type: an invalid record is skipped by all (its place in the
 * log still counts).
 */
const fold = (
  slices: ReadonlyArray<Working>,
  catalog: EventCatalog,
  event: SporEvent,
  span: {start: number; end: number},
): void => {
  let current: SporEvent | undefined;
  let valid = false;
  for (const s of slices) {
    if (s.seq >= event.seq) continue;
    if (s.wants === undefined || s.wants.has(event.type)) {
      if (current === undefined) {
        current = catalog.upcast(event);
        valid = catalog.isValid(current);
      }
      if (valid) {
        s.state = s.projection.apply(s.state, current, {
          seq: event.seq,
          start: span.start,
          length: span.end - span.start,
        });
        s.changed += 1;
      }
    }
    s.seq = event.seq;
    s.offset = span.end;
    s.lastId = event.id;
    s.applied += 1;
  }
};

type SnapshotStatus = 'missing' | 'unreadable' | 'stale' | 'mismatched' | 'usable';

type Verdict =
  {status: Exclude<SnapshotStatus, 'usable'>; seq?: number} | {status: 'usable'; seq: number; working: Working};

export interface Projected<S> {
  /** Seq of the last event folded in. */
  seq: number;
  state: S;
}

export interface ProjectOptions {
  /** The caller holds the log lock: snapshots may be written without asking for it. */
  locked?: boolean;
}

/** Snapshot a slice once it has this many events (or a rebuild) not yet in its snapshot. */
export const SNAPSHOT_AFTER = 64;
const ANCHOR_WINDOW = 64 * 1024;

/**
 * Folds the log into the slices a command asks for. Each slice has its own lowdb snapshot
 * (`snapshots/<slice>.json`), so a command pays only for the slices it reads, and only for the
 * events after their snapshots. A missing, damaged, stale-versioned or mismatched snapshot is
 * rebuilt from the log without a word. Within a process a slice is read from its snapshot once
 * and then kept, live: a later read folds only what was appended since (a dispatch reads the
 * settings, repos and runs several times), and returns the same state object, brought up to date.
 */
@injectable()
export class Projector {
  constructor(
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
  ) {}

  /** The slices this process has read, as of their last read. */
  private readonly live = new Map<string, Working>();
  /** Slices whose snapshot is due, waiting for the next lock this process takes (see `defer`). */
  private readonly pending = new Set<Working>();
  private deferring = false;

  /**
   * From now on a read that finds snapshots due leaves them for the next time this process holds
   * the log lock (`project({locked})`, `flush()`), or for `settle()`: a command that writes then
   * takes the lock only for its writes (the CLI defers for every command and settles at its end).
   */
  defer(): void {
    this.deferring = true;
  }

  /** Writes the snapshots left for later; the caller holds the log lock. */
  async flush(): Promise<void> {
    if (this.pending.size > 0) await this.save([...this.pending], true);
  }

  /** Writes the snapshots left for later, taking the lock for it if it is free (a command's end). */
  async settle(): Promise<void> {
    if (this.pending.size > 0) await this.save([...this.pending], false);
  }

  project<K extends keyof SporStateMap>(
    names: ReadonlyArray<K>,
    opts?: ProjectOptions,
  ): Promise<Projected<Pick<SporStateMap, K>>>;
  project(names: ReadonlyArray<string>, opts?: ProjectOptions): Promise<Projected<Record<string, unknown>>>;
  async project(names: ReadonlyArray<string>, opts: ProjectOptions = {}): Promise<Projected<Record<string, unknown>>> {
    const slices = [...new Set(names)].map((n) => this.load(n));
    const first = slices.reduce<Working | undefined>(
      (a, s) => (a === undefined || s.offset < a.offset ? s : a),
      undefined,
    );
    let seq = first?.seq ?? 0;
    if (first) {
      // Records lie end to end, so each starts where the one before it ended.
      let start = first.offset;
      const result = this.store.read(first.offset, first.seq, (event, end) => {
        fold(slices, this.catalog, event, {start, end});
        start = end;
      });
      seq = result.lastSeq;
    }
    const stale = slices.filter(
      (s) =>
        s.applied >= SNAPSHOT_AFTER ||
        s.changed >= (s.projection.snapshotAfter ?? SNAPSHOT_AFTER) ||
        (s.rebuilt && s.seq > 0),
    );
    if (opts.locked === true) {
      const due = new Set([...this.pending, ...stale]);
      if (due.size > 0) await this.save([...due], true);
    } else if (this.deferring) {
      for (const s of stale) this.pending.add(s);
    } else if (stale.length > 0) {
      await this.save(stale, false);
    }
    return {seq, state: Object.fromEntries(slices.map((s) => [s.slice, s.state]))};
  }

  /** Drops every snapshot's claim and folds the whole log again (doctor). */
  async rebuild(
    names: ReadonlyArray<string> = [...this.registry.projections.keys()],
    opts: ProjectOptions = {},
  ): Promise<number> {
    const slices = names.map((n) => this.fresh(n));
    let seq = 0;
    let start = 0;
    this.store.read(0, 0, (event, end) => {
      fold(slices, this.catalog, event, {start, end});
      start = end;
      seq = event.seq;
    });
    await this.save(slices, opts.locked === true);
    for (const s of slices) this.live.set(s.slice, s);
    return seq;
  }

  /**
   * What the snapshot of `name` holds, judged as a read judges it (spor doctor reports it):
   * missing, unreadable (including a stored form its codec refuses), stale (another slice version),
   * mismatched (not anchored in this log), or usable as of `seq`.
   */
  examine(name: string): {status: SnapshotStatus; seq?: number} {
    const {status, seq} = this.judge(name);
    return seq === undefined ? {status} : {status, seq};
  }

  /**
   * Whether each usable snapshot holds what folding the log up to its seq gives (spor doctor): the
   * slices as stored, serialized as a snapshot would be, against a replay. A slice with no usable
   * snapshot is left out. Reads only.
   */
  compareWithReplay(names: ReadonlyArray<string>): Map<string, boolean> {
    const stored = new Map<string, Working>();
    for (const name of names) {
      const verdict = this.judge(name);
      if (verdict.status === 'usable') stored.set(name, verdict.working);
    }
    const replays = [...stored.keys()].map((n) => this.fresh(n));
    let start = 0;
    this.store.read(0, 0, (event, end) => {
      const due = replays.filter((r) => event.seq <= (stored.get(r.slice) as Working).seq);
      if (due.length > 0) fold(due, this.catalog, event, {start, end});
      start = end;
    });
    const text = (w: Working): string =>
      w.projection.codec ? JSON.stringify(w.projection.codec.encode(w.state)) : JSON.stringify(w.state);
    return new Map(replays.map((r) => [r.slice, text(r) === text(stored.get(r.slice) as Working)]));
  }

  private projectionOf(name: string): Projection<unknown> {
    const projection = this.registry.projection(name);
    if (!projection)
      throw new StoreError(`no loaded plugin provides the state slice '${name}'`, {
        code: 'E_NO_SLICE',
        hint: 'check `spor plugins list` for plugins that failed to load',
      });
    return projection;
  }

  private fresh(name: string): Working {
    const projection = this.projectionOf(name);
    return {
      slice: name,
      version: projection.version,
      seq: 0,
      offset: 0,
      state: withoutPrototypes(projection.initial()),
      projection,
      wants: wantsOf(projection),
      applied: 0,
      changed: 0,
      rebuilt: true,
    };
  }

  private file(name: string): string {
    return join(this.paths.snapshots, `${name}.json`);
  }

  private load(name: string): Working {
    let working = this.live.get(name);
    if (!working) {
      const verdict = this.judge(name);
      working = verdict.status === 'usable' ? verdict.working : this.fresh(name);
      this.live.set(name, working);
    }
    return working;
  }

  /** The snapshot of `name`, judged, and when usable, read (decoded by its codec) for folding on. */
  private judge(name: string): Verdict {
    const projection = this.projectionOf(name);
    const file = this.file(name);
    const read = readSnapshot(file);
    // Only a snapshot that cannot be used needs telling a missing file from a damaged one.
    if (!read || !wellFormed(read.snap)) return {status: existsSync(file) ? 'unreadable' : 'missing'};
    const {slice, version, seq, offset, lastId, state: stored, parts} = read.snap;
    if (slice !== name || version !== projection.version) return {status: 'stale', seq};
    if (!this.anchored(read.snap)) return {status: 'mismatched', seq};
    if ((parts !== undefined) !== (projection.codec !== undefined)) return {status: 'unreadable', seq};
    let state: unknown;
    try {
      state = projection.codec ? projection.codec.decode(stored, read.part) : withoutPrototypes(stored);
    } catch {
      return {status: 'unreadable', seq};
    }
    return {
      status: 'usable',
      seq,
      working: {
        slice,
        version,
        seq,
        offset,
        lastId,
        state,
        projection,
        wants: wantsOf(projection),
        applied: 0,
        changed: 0,
        rebuilt: false,
      },
    };
  }

  private usable(snap: SliceSnapshot, name: string, version: number): boolean {
    return wellFormed(snap) && snap.slice === name && snap.version === version && this.anchored(snap);
  }

  // The record just before a snapshot's offset must be the one it claims to end with; otherwise
  // the log was replaced or rewritten under it.
  private anchored(snap: SliceSnapshot): boolean {
    if (snap.seq === 0) return snap.offset === 0;
    // Most records are short: a small read finds the line, a longer one is read again whole.
    for (const window of [4 * 1024, ANCHOR_WINDOW]) {
      const buf = this.store.readBefore(snap.offset, window);
      if (buf.length < 2 || buf[buf.length - 1] !== 10) return false;
      const start = buf.lastIndexOf(10, buf.length - 2) + 1;
      if (start === 0 && buf.length === window) continue;
      // Identity, not integrity: the checksum is verified when records are read for folding.
      try {
        const record = JSON.parse(buf.toString('utf8', start, buf.length - 1)) as {seq?: unknown; id?: unknown};
        return record.seq === snap.seq && record.id === snap.lastId;
      } catch {
        return false;
      }
    }
    return false;
  }

  // Written under the log lock, atomically (lowdb writes a temp file and renames it), and never
  // replacing a newer snapshot. Skipped when another process holds the lock: the next reader will.
  private async save(slices: ReadonlyArray<Working>, locked: boolean): Promise<void> {
    const handle = locked ? undefined : await tryLock(this.paths.home).catch(() => undefined);
    if (!locked && !handle) return;
    try {
      mkdirSync(this.paths.snapshots, {recursive: true, mode: 0o700});
      const [{Low}, {DataFile}] = await Promise.all([import('lowdb'), import('lowdb/node')]);
      for (const s of slices) {
        const file = this.file(s.slice);
        const current = readSnapshot(file)?.snap;
        // A damaged snapshot claiming to be ahead must not be kept: every start-up would replay.
        if (!(current && current.seq >= s.seq && this.usable(current, s.slice, s.version))) {
          const meta = {slice: s.slice, version: s.version, seq: s.seq, offset: s.offset, lastId: s.lastId};
          const db = new Low<SliceSnapshot>(
            new DataFile<SliceSnapshot>(file, {parse: JSON.parse, stringify: snapshotText}),
            s.projection.codec ? {...meta, ...encoded(s.projection.codec.encode(s.state))} : {...meta, state: s.state},
          );
          await db.write();
          // lowdb writes with the process's umask (0644, or 0666 under umask 000): a snapshot holds
          // what the log holds, and is as private as it.
          chmodSync(file, 0o600);
        }
        // What it has folded is now in a snapshot on disk (its own, or a newer one).
        s.applied = 0;
        s.changed = 0;
        s.rebuilt = false;
        this.pending.delete(s);
      }
    } finally {
      handle?.release();
    }
  }
}

const wellFormed = (snap: SliceSnapshot): boolean =>
  Number.isInteger(snap.seq) && Number.isInteger(snap.offset) && snap.state !== undefined;

const wantsOf = (p: Projection<unknown>): ReadonlySet<string> | undefined => (p.on ? new Set(p.on) : undefined);

/** Parts' texts, kept beside the envelope until the file is written. */
const PART_TEXTS = Symbol('parts');
type Encoded = Pick<SliceSnapshot, 'state' | 'parts'> & {[PART_TEXTS]?: Array<string>};

const encoded = ({head, parts = {}}: ReturnType<NonNullable<Projection<unknown>['codec']>['encode']>): Encoded => {
  const ranges: Record<string, [number, number]> = {};
  let at = 0;
  for (const [name, text] of Object.entries(parts)) {
    const length = Buffer.byteLength(text);
    ranges[name] = [at, length];
    at += length;
  }
  return {state: head, parts: ranges, [PART_TEXTS]: Object.values(parts)};
};

/**
 * A copy of a JSON-shaped value whose plain objects have no prototype: a slice keyed by what a
 * person typed (`bySlug`, `values`, `byPath`) then has no `__proto__` or `constructor` to find.
 * Applied to every plain slice as it starts (initial() or a snapshot); a codec does its own.
 */
export const withoutPrototypes = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutPrototypes(v)) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = withoutPrototypes(v);
  return out as T;
};

const hex = (n: number): string => n.toString(16).padStart(8, '0');

// One JSON line (JSON.stringify never writes a raw newline), then the parts, if any.
const snapshotText = (snap: SliceSnapshot & Encoded): string => {
  const texts = snap[PART_TEXTS];
  const body = texts?.join('') ?? '';
  const sum = hex(checksum(body, checksum(JSON.stringify(snap.state))));
  const head = JSON.stringify({...snap, sum});
  return texts ? `${head}\n${body}` : head;
};

/** Whether the snapshot's content is what its writer checksummed (`body`: the bytes after its head). */
const intact = (snap: SliceSnapshot, body: Buffer): boolean =>
  typeof snap.sum === 'string' && snap.sum === hex(checksum(body, checksum(JSON.stringify(snap.state))));

// Snapshots are read synchronously and without lowdb: it is on every command's start-up path, and
// lowdb's async adapter would pull in fs/promises and streams for one JSON.parse. A file whose parts
// do not exactly fill what follows its first line is not trusted.
const readSnapshot = (file: string): ReadSnapshot | undefined => {
  try {
    const buf = readFileSync(file);
    const nl = buf.indexOf(10);
    const snap = JSON.parse(buf.toString('utf8', 0, nl === -1 ? buf.length : nl)) as SliceSnapshot | null;
    if (snap === null || typeof snap !== 'object') return undefined;
    if (!intact(snap, nl === -1 ? Buffer.alloc(0) : buf.subarray(nl + 1))) return undefined;
    if (snap.parts === undefined) return nl === -1 ? {snap, part: () => undefined} : undefined;
    const body = nl + 1;
    let end = 0;
    for (const range of Object.values(snap.parts)) {
      if (!Array.isArray(range) || range[0] !== end || !Number.isInteger(range[1]) || range[1] < 0) return undefined;
      end += range[1];
    }
    if (nl === -1 || body + end !== buf.length) return undefined;
    const parts = snap.parts;
    const part = (name: string): Buffer | undefined => {
      if (!Object.hasOwn(parts, name)) return undefined;
      const [start, length] = parts[name] as [number, number];
      return buf.subarray(body + start, body + start + length);
    };
    return {snap, part};
  } catch {
    return undefined;
  }
};
