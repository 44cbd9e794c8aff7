import type {Writable} from 'node:stream';
import {
  closeSync,
  constants,
  existsSync,
  renameSync,
  writeFileSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import type {EventCatalog} from './catalog.js';
import type {Clock, IdSource} from './clock.js';
import {inject, injectable} from './di.js';
import {ConflictError, StoreError} from './errors.js';
import type {Actor, EventDraft, SporEvent} from './events.js';
import {acquireLock, prepareLock, tryLock, type LockHandle} from './lock.js';
import {encodeBatch} from './logFormat.js';
import {scanLog, type ScanIssue, type ScanResult} from './logScanner.js';
import {RecordReader} from './records.js';
import {ensureHome, syncDirectory, type SporPaths} from './paths.js';
import {ACTOR, CLOCK, EVENT_CATALOG, ID_SOURCE, PATHS, STDERR} from './tokens.js';

export interface AppendOptions {
  /** Fail with ConflictError unless the log's last seq is exactly this (optimistic concurrency). */
  expectedSeq?: number;
}

/** The state of the log as its last writer sealed it: lets a writer skip re-reading the log. */
interface Seal {
  size: number;
  mtimeNs: string;
  seq: number;
}

// The seal is rewritten in place as one fixed-size write at offset 0, never truncated: on ext4,
// replacing a file's contents through truncation starts writeback at close (auto_da_alloc), which
// made sealing cost as much as the log's own fdatasync. One small write at offset 0 is all or
// nothing for a writer killed mid-way; a seal that does not parse or match is simply not trusted.
const SEAL_BYTES = 128;
/** How often a holder that keeps writing (appendAsync) refreshes the seal. */
const SEAL_EVERY_MS = 100;

const EXPLICIT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** What `inspect()` (spor doctor) found. */
export interface LogReport extends ScanResult {
  size: number;
}

/**
 * The append-only JSONL event log under SPOR_HOME, shared by every spor process on the machine.
 * Appends are serialized by an inter-process lock, fsynced before they return, and stamped with a
 * gap-free seq. A torn tail is repaired before the next append; damage in the middle makes every
 * write refuse (StoreError) until `spor doctor` has been read.
 */
@injectable()
export class EventStore {
  constructor(
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(ID_SOURCE) private readonly ids: IdSource,
    @inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @inject(ACTOR) private readonly actor: Actor | (() => Actor),
    @inject(STDERR) private readonly stderr?: Writable,
  ) {}

  // Asked for by writes only: a read-only command never looks the user up (bootstrap.ts).
  private actorName(): Actor {
    return typeof this.actor === 'function' ? this.actor() : this.actor;
  }

  // SPOR_HOME is made once per store: mkdir on every append was a measurable share of its cost.
  private homeMade = false;

  get file(): string {
    return this.paths.log;
  }

  /** Appends drafts as one atomic batch; returns the stored events (duplicates by id are skipped). */
  append(drafts: ReadonlyArray<EventDraft>, opts: AppendOptions = {}): Promise<Array<SporEvent>> {
    return this.withLock((log) => log.append(drafts, opts));
  }

  /** Runs `fn` holding the log lock, with the log open and its tail verified. */
  async withLock<T>(fn: (log: LockedLog) => Promise<T> | T): Promise<T> {
    this.makeHome();
    let handle: LockHandle;
    try {
      handle = await acquireLock(this.paths.home);
    } catch (e) {
      // SPOR_HOME was removed under a long-lived process: make it again, as a first write would.
      if (!(e instanceof StoreError && e.code === 'E_LOCK_NODIR')) throw e;
      ensureHome(this.paths);
      handle = await acquireLock(this.paths.home);
    }
    // A holder that finds, just before writing, that another process wrote under what it took for
    // its lock (checkTail) has written nothing: it starts over under a fresh lock.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.locked(handle, fn);
      } catch (e) {
        if (!(e instanceof LockLost) || attempt >= 5) throw e instanceof LockLost ? e.error : e;
        handle = await acquireLock(this.paths.home);
      }
    }
  }

  /**
   * For `spor doctor --repair` only: under the lock, without the recovery that refuses a damaged
   * log, hands `plan` the whole log and what its last writer sealed; when `plan` returns new bytes,
   * the current log is first copied to `quarantine` (0600, synced), then replaced by them
   * atomically. The seal is reset, so the next writer verifies the new log from the start.
   */
  async rewrite<T>(
    quarantine: string,
    plan: (log: Buffer, sealed: {size: number; seq: number} | undefined) => {bytes?: Buffer; result: T},
  ): Promise<T> {
    this.makeHome();
    const handle = await acquireLock(this.paths.home);
    try {
      const fd = this.openForAppending();
      let log: LockedLog | undefined;
      try {
        log = new LockedLog(fd, this.paths, this.clock, this.ids, this.catalog, this.actorName(), handle);
        const current = Buffer.alloc(fstatSync(fd).size);
        readSync(fd, current, 0, current.length, 0);
        const {bytes, result} = plan(current, log.sealInfo());
        if (bytes) {
          writeFileSync(quarantine, current, {mode: 0o600, flag: 'wx', flush: true});
          const next = `${this.paths.log}.rewrite`;
          writeFileSync(next, bytes, {mode: 0o600, flush: true});
          renameSync(next, this.paths.log);
          log.forgetSeal();
          syncDirectory(this.paths.home);
        }
        return result;
      } finally {
        log?.close();
        closeSync(fd);
      }
    } finally {
      handle.release();
    }
  }

  /** Like withLock, but gives up at once (returns undefined) when another process holds the lock. */
  async tryWithLock<T>(fn: (log: LockedLog) => Promise<T> | T): Promise<T | undefined> {
    this.makeHome();
    const handle = await tryLock(this.paths.home);
    return handle && this.locked(handle, fn);
  }

  private async locked<T>(handle: LockHandle, fn: (log: LockedLog) => Promise<T> | T): Promise<T> {
    let fd: number | undefined;
    let log: LockedLog | undefined;
    try {
      fd = this.openForAppending();
      log = new LockedLog(fd, this.paths, this.clock, this.ids, this.catalog, this.actorName(), handle);
      const cut = log.recover();
      if (cut) this.recordCut(log, cut);
      return await fn(log);
    } catch (e) {
      throw e instanceof StoreError && e.code === 'E_LOCK_LOST' && log?.wrote === false ? new LockLost(e) : e;
    } finally {
      log?.close();
      if (fd !== undefined) closeSync(fd);
      handle.release();
    }
  }

  /**
   * Reads committed records from byte `from` (where the record with seq `afterSeq` ends). Needs no
   * lock: an unterminated tail is a writer still at work and is left for later. Corruption throws.
   */
  read(from: number, afterSeq: number, onRecord: (event: SporEvent, end: number) => void): ScanResult {
    const fd = this.openForReading();
    if (fd === undefined) return {lastSeq: afterSeq, committedEnd: from, records: 0, issues: []};
    try {
      const size = fstatSync(fd).size;
      if (size < from)
        throw new StoreError(`the event log is shorter than expected (${size} < ${from} bytes)`, {
          code: 'E_LOG_SHRUNK',
        });
      const result = scanLog(fd, {from, to: size, afterSeq, onRecord});
      const damage = result.issues.find((i) => i.kind === 'corrupt');
      if (damage) throw damaged(this.paths.log, damage);
      return result;
    } finally {
      closeSync(fd);
    }
  }

  /** Byte size of the log (0 when it does not exist yet). */
  size(): number {
    const fd = this.openForReading();
    if (fd === undefined) return 0;
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  /** Verifies every record (doctor): all issues, not just the first. */
  inspect(): LogReport {
    const fd = this.openForReading();
    if (fd === undefined) return {lastSeq: 0, committedEnd: 0, records: 0, issues: [], size: 0};
    try {
      const size = fstatSync(fd).size;
      return {...scanLog(fd, {from: 0, to: size, afterSeq: 0, collectAll: true}), size};
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A reader of committed events by RecordRef or seq (a slice that keeps references into the log,
   * such as the graph's node text, fetches them so), upcast and valid as a fold would see them. It
   * caches what it read: take one per read of the state, not one per process.
   */
  records(): RecordReader {
    return new RecordReader(this, this.catalog);
  }

  /** Reads these byte ranges of the log, in one open. A range past the end comes back short. */
  readRanges(ranges: ReadonlyArray<{start: number; length: number}>): Array<Buffer> {
    const fd = this.openForReading();
    if (fd === undefined) return ranges.map(() => Buffer.alloc(0));
    try {
      return ranges.map(({start, length}) => {
        const buf = Buffer.allocUnsafe(length);
        return buf.subarray(0, readSync(fd, buf, 0, length, start));
      });
    } finally {
      closeSync(fd);
    }
  }

  /** Reads the last `bytes` of the log before offset `end` (to check a snapshot's anchor record). */
  readBefore(end: number, bytes: number): Buffer {
    const fd = this.openForReading();
    if (fd === undefined) return Buffer.alloc(0);
    try {
      const start = Math.max(0, end - bytes);
      const buf = Buffer.alloc(end - start);
      const got = readSync(fd, buf, 0, buf.length, start);
      return buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Does now what the first append would otherwise do then (name the lock, load what ids and the
   * lock need), for a caller with time to spare before a write that should be quick. Writes nothing.
   */
  prepare(): void {
    prepareLock(this.paths.home);
    this.ids.next();
  }

  // A torn tail is never cut silently: the person running the command is told, and the cut is
  // recorded (when the catalog knows the core's own event, as it does in every spor process).
  private recordCut(log: LockedLog, cut: TailCut): void {
    let recorded = '';
    if (this.catalog.versionOf('log-repaired') !== undefined) {
      const [event] = log.append([{type: 'log-repaired', data: cut}]);
      if (event) {
        log.repaired = {...cut, event_seq: event.seq};
        recorded = `; recorded as log-repaired #${event.seq}`;
      }
    } else log.repaired = cut;
    this.stderr?.write(
      `spor: warning: the event log ended in an incomplete record (${cut.truncated_bytes} bytes at byte ${cut.from_offset}, left by a writer that stopped mid-append); cut it off${recorded}\n`,
    );
  }

  private makeHome(): void {
    if (this.homeMade) return;
    const open = ensureHome(this.paths);
    if (open !== 0)
      this.stderr?.write(
        `spor: warning: ${this.paths.home} can be read by others (mode ${(0o700 | open).toString(8).padStart(4, '0')}); run \`chmod 700 ${this.paths.home}\`\n`,
      );
    this.homeMade = true;
  }

  // Whether this process has seen the log exist (then a directory sync is never needed again).
  private logSeen = false;

  private openForAppending(): number {
    const open = (): number => {
      // The first append creates the log: its directory entry is synced so the file outlives a crash.
      const creating = !this.logSeen && !existsSync(this.paths.log);
      const fd = openSync(this.paths.log, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o600);
      if (creating) syncDirectory(this.paths.home);
      this.logSeen = true;
      return fd;
    };
    try {
      return open();
    } catch (e) {
      // SPOR_HOME was removed under a long-lived process: make it again, as a first write would.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      ensureHome(this.paths);
      return open();
    }
  }

  private openForReading(): number | undefined {
    try {
      return openSync(this.paths.log, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

/** A lock found lost before this holder wrote anything: withLock starts over. */
class LockLost extends Error {
  constructor(readonly error: StoreError) {
    super(error.message);
  }
}

const damaged = (file: string, issue: ScanIssue): StoreError =>
  new StoreError(
    `the event log is damaged at record ${issue.record} (byte ${issue.offset} of ${file}: ${issue.reason})`,
    {
      code: 'E_LOG_DAMAGED',
      hint: 'run `spor doctor` for details; spor will not write until it is mended',
    },
  );

/** What recovery cut off the end of the log. */
export interface TailCut {
  truncated_bytes: number;
  from_offset: number;
}

/** The log while this process holds its lock. */
export class LockedLog {
  private seq = 0;
  /** Where the last committed record ends, as this holder last saw or wrote it. */
  private end = 0;
  /** Whether this holder has written to the log (a lost lock is only retried when it has not). */
  wrote = false;
  /** The torn tail recovery cut when this lock was taken (and the `log-repaired` seq recording it). */
  repaired?: TailCut & {event_seq?: number};
  private sealFd: number | undefined;
  /** The first of appendAsync's writes that failed. */
  private failed: Error | undefined;
  /** Where the last batch appendAsync made durable ends. */
  private durable = 0;
  /** When the seal was last written (performance.now()), and whether batches were written since. */
  private sealedAt = Number.NEGATIVE_INFINITY;
  private sealStale = false;

  constructor(
    private readonly fd: number,
    private readonly paths: SporPaths,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly catalog: EventCatalog,
    private readonly actor: Actor,
    private readonly lock?: LockHandle,
  ) {}

  /**
   * Whether another process (or another caller in this one) has been waiting for the lock since
   * this holder took it: a holder that keeps the lock between writes lets it go then.
   */
  othersWaiting(): boolean {
    return this.lock?.contended() === true;
  }

  /** The seq of the last committed record. */
  lastSeq(): number {
    return this.seq;
  }

  /**
   * Establishes the last seq. Trusts the seal when the file is exactly as its last writer left it;
   * otherwise verifies what it cannot vouch for: only the new bytes when the file grew (a writer
   * died before sealing), the whole log when it shrank or changed in place.
   */
  recover(): TailCut | undefined {
    const stat = fstatSync(this.fd, {bigint: true});
    const size = Number(stat.size);
    const seal = this.readSeal();
    if (seal && seal.size === size && seal.mtimeNs === stat.mtimeNs.toString()) {
      this.seq = seal.seq;
      this.end = size;
      return undefined;
    }
    const grewOnly = seal !== undefined && size > seal.size;
    let result = scanLog(this.fd, {from: grewOnly ? seal.size : 0, to: size, afterSeq: grewOnly ? seal.seq : 0});
    // The seal is a hint: one that does not describe this file (a log copied or restored under it)
    // must not make an intact log look damaged, so only the whole log can condemn it.
    if (grewOnly && result.issues[0]?.kind === 'corrupt') result = scanLog(this.fd, {from: 0, to: size, afterSeq: 0});
    const issue = result.issues[0];
    if (issue?.kind === 'corrupt') throw damaged(this.paths.log, issue);
    let cut: TailCut | undefined;
    if (issue?.kind === 'torn') {
      ftruncateSync(this.fd, result.committedEnd);
      fdatasyncSync(this.fd);
      cut = {truncated_bytes: size - result.committedEnd, from_offset: result.committedEnd};
    }
    this.seq = result.lastSeq;
    this.end = result.committedEnd;
    this.writeSeal();
    return cut;
  }

  /** What the log's last writer sealed (size and seq), if the seal is readable. */
  sealInfo(): {size: number; seq: number} | undefined {
    const seal = this.readSeal();
    return seal && {size: seal.size, seq: seal.seq};
  }

  /** Blanks the seal (after the log was replaced): the next writer verifies the whole log. */
  forgetSeal(): void {
    writeSync(this.sealFile(), `${'{}'.padEnd(SEAL_BYTES - 1)}\n`, 0);
  }

  append(drafts: ReadonlyArray<EventDraft>, opts: AppendOptions = {}): Array<SporEvent> {
    this.checkTail();
    const batch = this.stage(drafts, opts);
    if (!batch) return [];
    this.wrote = true;
    this.writeAll(batch.bytes);
    fdatasyncSync(this.fd);
    this.end += batch.bytes.length;
    return this.sealed(batch);
  }

  // Re-checked under the lock, just before a write, that the next seq is still free: the log ends
  // where this holder last saw it end, and its socket is still the lock's. Otherwise another
  // process holds or held the lock meanwhile (a race lost to a waiter): nothing is written, and
  // withLock starts over (what was decided was decided on a state that may be gone).
  private checkTail(): void {
    const lost = (): StoreError =>
      new StoreError('another spor process took the event log lock while this one held it', {
        code: 'E_LOCK_LOST',
        hint: 'nothing was written by this command; run it again',
      });
    if (this.lock?.stillHeld() === false) throw lost();
    // Shorter: this holder's own appendAsync writes are still in flight.
    if (fstatSync(this.fd).size > this.end) throw lost();
  }

  /**
   * `append` with the fdatasync done off the event loop (libuv's thread pool), for a long-lived
   * process that keeps serving while the disk flushes (the team server): same guarantees, the lock
   * is held until it resolves. The bytes themselves are written at once: a write into the page
   * cache costs less than the round trip through the thread pool it would take. Calls may overlap:
   * each takes its seqs at once, so a batch can be decided and written while the previous one is
   * still being flushed. After a failed write every later call fails too (the log must be read
   * again under a new lock).
   */
  async appendAsync(drafts: ReadonlyArray<EventDraft>, opts: AppendOptions = {}): Promise<Array<SporEvent>> {
    if (this.failed) throw this.failed;
    this.checkTail();
    const batch = this.stage(drafts, opts);
    if (!batch) return [];
    this.seq = batch.last;
    this.wrote = true;
    try {
      this.writeAll(batch.bytes);
      this.end += batch.bytes.length;
    } catch (e) {
      this.failed = e instanceof Error ? e : new Error(String(e));
      throw this.failed;
    }
    const end = this.end;
    await new Promise<void>((res, rej) => fdatasync(this.fd, (e) => (e ? rej(e) : res())));
    this.durable = Math.max(this.durable, end);
    // A holder that keeps the lock for long writes many batches a second: the seal, a hint for the
    // next holder, is refreshed a few times a second and when the lock is let go (close).
    if (performance.now() - this.sealedAt >= SEAL_EVERY_MS) this.writeSeal();
    else this.sealStale = true;
    return batch.events;
  }

  private writeAll(bytes: Buffer): void {
    for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Where the last batch appendAsync made durable ends (0 before the first). */
  durableEnd(): number {
    return this.durable;
  }

  /** The events a batch becomes and the bytes that store them (nothing is written yet). */
  private stage(
    drafts: ReadonlyArray<EventDraft>,
    opts: AppendOptions,
  ): {events: Array<SporEvent>; bytes: Buffer; last: number} | undefined {
    if (opts.expectedSeq !== undefined && opts.expectedSeq !== this.seq)
      throw new ConflictError(opts.expectedSeq, this.seq);
    const fresh = this.withoutStoredIds(drafts);
    if (fresh.length === 0) return undefined;
    const at = this.clock.now().toISOString();
    const last = this.seq + fresh.length;
    const events = fresh.map((d, i): SporEvent => {
      const v = this.catalog.versionOf(d.type);
      if (v === undefined) {
        throw new StoreError(`no loaded plugin declares the event type '${d.type}'`, {
          code: 'E_EVENT_TYPE',
          hint: 'check `spor plugins list` for a plugin that failed to load',
        });
      }
      const e: SporEvent = {
        id: d.id ?? this.ids.next(),
        seq: this.seq + i + 1,
        type: d.type,
        v,
        at,
        actor: this.actor,
        data: d.data,
      };
      return d.causation === undefined ? e : {...e, causation: d.causation};
    });
    return {events, bytes: encodeBatch(events, fresh.length > 1 ? last : undefined), last};
  }

  /** After a batch is durable: it counts, and the seal says where the log ends now. */
  private sealed(batch: {events: Array<SporEvent>; last: number}): Array<SporEvent> {
    this.seq = batch.last;
    this.writeSeal();
    return batch.events;
  }

  /** Drops drafts whose explicit id is already stored (or repeated within the batch). */
  private withoutStoredIds(drafts: ReadonlyArray<EventDraft>): Array<EventDraft> {
    const explicit = new Set<string>();
    for (const d of drafts) {
      if (d.id === undefined) continue;
      if (!EXPLICIT_ID.test(d.id))
        throw new StoreError(`event id '${d.id}' is not valid (letters, digits and . _ : @ - only)`, {
          code: 'E_EVENT_ID',
        });
      explicit.add(d.id);
    }
    if (explicit.size === 0) return [...drafts];
    const stored = this.storedIds(explicit);
    const seen = new Set<string>();
    return drafts.filter((d) => {
      if (d.id === undefined) return true;
      if (stored.has(d.id) || seen.has(d.id)) return false;
      seen.add(d.id);
      return true;
    });
  }

  // Only appends that bring their own id (retries, imports, sync) pay for this pass over the log;
  // generated ids are random UUIDs and cannot collide.
  private storedIds(wanted: Set<string>): Set<string> {
    const found = new Set<string>();
    const size = fstatSync(this.fd).size;
    scanLog(this.fd, {
      from: 0,
      to: size,
      afterSeq: 0,
      collectAll: true,
      onRecord: (e) => {
        if (wanted.has(e.id)) found.add(e.id);
      },
    });
    return found;
  }

  /** Seals what appendAsync made durable, then closes the seal file (the owner closes the log itself). */
  close(): void {
    if (this.sealStale && !this.failed) this.writeSeal();
    if (this.sealFd !== undefined) closeSync(this.sealFd);
    this.sealFd = undefined;
  }

  private sealFile(): number {
    return (this.sealFd ??= openSync(this.paths.seal, constants.O_RDWR | constants.O_CREAT, 0o600));
  }

  private readSeal(): Seal | undefined {
    try {
      const buf = Buffer.alloc(SEAL_BYTES);
      const got = readSync(this.sealFile(), buf, 0, SEAL_BYTES, 0);
      const seal = JSON.parse(buf.toString('utf8', 0, got)) as Partial<Seal>;
      return typeof seal.size === 'number' && typeof seal.mtimeNs === 'string' && typeof seal.seq === 'number'
        ? (seal as Seal)
        : undefined;
    } catch {
      return undefined;
    }
  }

  // Not fsynced on purpose: a lost or stale seal only costs the next writer a verification pass.
  private writeSeal(): void {
    this.sealedAt = performance.now();
    this.sealStale = false;
    const stat = fstatSync(this.fd, {bigint: true});
    const seal: Seal = {size: Number(stat.size), mtimeNs: stat.mtimeNs.toString(), seq: this.seq};
    writeSync(this.sealFile(), `${JSON.stringify(seal).padEnd(SEAL_BYTES - 1)}\n`, 0);
  }
}
