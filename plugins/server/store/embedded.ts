import {statSync} from 'node:fs';
import {
  preferNativeCrc,
  StoreError,
  type EventCatalog,
  type EventDraft,
  type EventStore,
  type LockedLog,
  type SporEvent,
} from '../../../core/index.js';
import {TEAM_EVENT_TYPES, streamOf, type TeamDraft, type TeamEvent} from '../events.js';
import {TRANSACTION_TRIES, VersionConflict, type TeamStore, type TeamTx} from './contract.js';
import {MemoryReader} from './memoryReader.js';
import {TeamState} from './state.js';

interface Pending {
  work: (tx: TeamTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  tries: number;
}

/** A transaction over the in-memory state: reads see what is committed or decided before it. */
class MemoryTx extends MemoryReader implements TeamTx {
  readonly appends: Array<{stream: string; expected: number; drafts: ReadonlyArray<TeamDraft>}> = [];
  append(stream: string, expectedVersion: number, drafts: ReadonlyArray<TeamDraft>): void {
    for (const d of drafts)
      if (streamOf(d) !== stream) throw new Error(`a ${d.type} event does not belong to stream '${stream}'`);
    this.appends.push({stream, expected: expectedVersion, drafts});
  }
}

const TEAM_TYPES = new Set<string>(TEAM_EVENT_TYPES);
/** At most this many transactions share one write (and one fdatasync). */
const MAX_BATCH = 256;
/** How many turns of the event loop a write waits for more transactions to join it. */
const GATHER_TURNS = 8;
/** How many batches may be being flushed at once. */
const IN_FLIGHT = 2;
/** How long the lock is kept once everything is written, for the next transaction to arrive. */
const LINGER_MS = 5;
/** How long the lock is left to another process that asked for it, before it is taken again. */
const YIELD_MS = 50;

/**
 * The embedded backend: the team server's events in the JSONL log under $SPOR_HOME, written
 * through the core EventStore (its inter-process lock, checksums and fsync), with the projections
 * folded from it in memory. Transactions queue and run one after another; those that arrive while
 * a write is under way share the next one (group commit), so many clients cost one fdatasync.
 * Other processes writing the same log (`spor serve --init-admin`, `spor log`) are folded in
 * before every decision and, when the log grew, before reads.
 */
export class EmbeddedTeamStore extends MemoryReader implements TeamStore {
  readonly kind = 'embedded';
  private current = new TeamState();
  private offset = 0;
  private seq = 0;
  private queue: Array<Pending> = [];
  private running: Promise<void> | undefined;
  private writing = false;
  private closed = false;
  private lookedThisTurn = false;
  /** Set while the writer keeps the lock waiting for a transaction: called when one arrives. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly log: EventStore,
    private readonly catalog: EventCatalog,
  ) {
    super(() => this.fresh());
    // A server encodes and checks many records for as long as it runs: zlib's CRC-32 pays off.
    preferNativeCrc();
    this.catchUp();
  }

  transact<R>(work: (tx: TeamTx) => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(new StoreError('the team store is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({work, resolve: resolve as (v: unknown) => void, reject, tries: 0});
      this.wake?.();
      this.running ??= this.drain();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
  }

  /** The state with what other processes appended folded in (not while a write is under way). */
  private fresh(): TeamState {
    // Looked at once per turn of the event loop: every request read checks, and the requests a
    // turn handles share one look.
    if (!this.writing && !this.lookedThisTurn) {
      this.lookedThisTurn = true;
      setImmediate(() => (this.lookedThisTurn = false));
      let size: number;
      try {
        size = statSync(this.log.file).size;
      } catch {
        size = 0;
      }
      if (size !== this.offset) this.catchUp();
    }
    return this.current;
  }

  private catchUp(): void {
    const result = this.log.read(this.offset, this.seq, (event, end) => {
      this.fold(event);
      this.offset = end;
    });
    this.seq = result.lastSeq;
    this.offset = result.committedEnd;
  }

  private fold(event: SporEvent): void {
    if (!TEAM_TYPES.has(event.type)) return;
    const upcast = this.catalog.upcast(event);
    if (this.catalog.isValid(upcast)) this.current.apply(upcast as TeamEvent);
  }

  /** Lets the requests that are coming in be read while more keep arriving (a few turns at most). */
  private async gather(): Promise<void> {
    for (let size = -1, turns = 0; this.queue.length !== size && turns < GATHER_TURNS; turns += 1) {
      size = this.queue.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Resolves when a transaction arrives (true) or once `ms` have passed without one (false). */
  private arrival(ms?: number): Promise<boolean> {
    if (this.queue.length > 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => {
              this.wake = undefined;
              resolve(false);
            }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  /**
   * Takes the lock and writes batches for as long as transactions keep coming. A batch is decided
   * and handed to the log while the one before it is still being flushed (two in flight at most),
   * so the disk's latency and the work of deciding overlap. Each batch's transactions resolve
   * once their own write is durable.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const yielded = await this.pipeline();
        // Someone else asked for the lock: it is theirs for a moment (a waiter looks again within
        // a few tens of milliseconds), then this server takes its turn again.
        if (yielded) await new Promise((resolve) => setTimeout(resolve, YIELD_MS));
      }
    } finally {
      this.running = undefined;
    }
  }

  /** One hold of the lock; says whether it was let go because another process waits for it. */
  private async pipeline(): Promise<boolean> {
    const inflight = new Set<Promise<void>>();
    const decided: Array<Pending> = [];
    let failure: unknown;
    let yielded = false;
    try {
      await this.log.withLock(async (locked) => {
        this.catchUp();
        this.writing = true;
        for (;;) {
          const stopping = failure !== undefined || locked.othersWaiting();
          if (!stopping && this.queue.length > 0 && inflight.size < IN_FLIGHT) {
            await this.gather();
            const batch = this.queue.splice(0, MAX_BATCH);
            const done: Array<{p: Pending; value: unknown}> = [];
            const drafts: Array<EventDraft> = [];
            for (const p of batch) {
              const outcome = await this.decide(p);
              if (outcome === undefined) continue;
              drafts.push(...outcome.drafts);
              done.push({p, value: outcome.value});
              decided.push(p);
            }
            const write = this.commit(locked, drafts).then(
              () => {
                for (const {p, value} of done) p.resolve(value);
              },
              (e: unknown) => {
                failure ??= e;
              },
            );
            inflight.add(write);
            void write.then(() => inflight.delete(write));
            continue;
          }
          if (inflight.size > 0) {
            // A write finishing makes room; with room already, so does a transaction arriving: it is
            // decided and written while the batch before it is still being flushed.
            const room = !stopping && inflight.size < IN_FLIGHT;
            await Promise.race<unknown>(room ? [...inflight, this.arrival()] : inflight);
            continue;
          }
          yielded = locked.othersWaiting();
          // The clients just answered usually ask again within a moment: the lock is kept that
          // long, so that a busy server does not take it anew (and look at the log's tail again)
          // for every batch. Never while someone else waits for it.
          if (failure !== undefined || yielded || this.closed || !(await this.arrival(LINGER_MS))) break;
        }
      });
    } catch (e) {
      failure ??= e;
    } finally {
      this.writing = false;
    }
    if (failure === undefined) return yielded;
    // A write failed: what was decided is in memory but maybe not in the log. Start again from
    // the log, and fail every transaction not yet answered (none of them is known to be written).
    this.current = new TeamState();
    this.offset = 0;
    this.seq = 0;
    try {
      this.catchUp();
    } catch {
      /* the next transaction tries again */
    }
    for (const p of decided) p.reject(failure);
    return false;
  }

  /** Runs one transaction against the state; applies its events there when its versions hold. */
  private async decide(p: Pending): Promise<{drafts: Array<EventDraft>; value: unknown} | undefined> {
    for (;;) {
      const tx = new MemoryTx(() => this.current);
      let value: unknown;
      try {
        value = await p.work(tx);
        // A transaction may append to one stream more than once, each time after the last.
        const local = new Map<string, number>();
        for (const a of tx.appends) {
          const actual = local.get(a.stream) ?? this.current.version(a.stream);
          if (actual !== a.expected) throw new VersionConflict(a.stream, a.expected, actual);
          local.set(a.stream, a.expected + a.drafts.length);
        }
      } catch (e) {
        p.tries += 1;
        if (e instanceof VersionConflict && p.tries < TRANSACTION_TRIES) continue;
        p.reject(e);
        return undefined;
      }
      const drafts = tx.appends.flatMap((a) => a.drafts);
      for (const d of drafts) this.current.apply(d);
      return {drafts: drafts.map((d) => ({type: d.type, data: d.data})), value};
    }
  }

  // The flush runs off the event loop: requests keep being read (and queue for the next batch)
  // while the disk works. Reads in that time see this batch's decisions before they are
  // durable; should the write fail, every transaction of the batch fails and the state is
  // folded again from the log.
  private async commit(locked: LockedLog, drafts: ReadonlyArray<EventDraft>): Promise<void> {
    if (drafts.length === 0) return;
    const events = await locked.appendAsync(drafts);
    // Under the lock nobody else appends: folding resumes where the last durable batch ends (a
    // batch finishing before the one ahead of it leaves seq and offset to the later one).
    const last = events.at(-1)?.seq ?? this.seq;
    if (last > this.seq) {
      this.seq = last;
      this.offset = locked.durableEnd();
    }
  }
}
