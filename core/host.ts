import {inject, injectable} from './di.js';
import {type EventBus} from './eventBus.js';
import type {EventDraft, SporEvent} from './events.js';
import type {AppendOptions, EventStore} from './eventStore.js';
import type {SporStateMap} from './plugin.js';
import type {Projector} from './projector.js';
import {EVENT_BUS, EVENT_STORE, PROJECTOR} from './tokens.js';

/** A command's decision: the events to append (none is fine), from the state it was shown. */
export type Decide<S> = (state: S, seq: number) => ReadonlyArray<EventDraft> | Promise<ReadonlyArray<EventDraft>>;

/**
 * The one way commands change anything: read slices, decide, append, then run reactions.
 * `handle` decides while holding the log lock, so a decision never races another writer.
 */
@injectable()
export class Host {
  constructor(
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(PROJECTOR) private readonly projector: Projector,
    @inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Current state of the named slices (no lock; reads what is committed). */
  async read<K extends keyof SporStateMap>(slices: ReadonlyArray<K>): Promise<Pick<SporStateMap, K>> {
    return (await this.projector.project(slices)).state;
  }

  /** Decides against the latest state under the lock, appends what it returns, runs reactions. */
  async handle<K extends keyof SporStateMap>(
    slices: ReadonlyArray<K>,
    decide: Decide<Pick<SporStateMap, K>>,
  ): Promise<Array<SporEvent>> {
    const events = await this.store.withLock(async (log) => {
      const {state} = await this.projector.project(slices, {locked: true});
      const drafts = await decide(state, log.lastSeq());
      return drafts.length === 0 ? [] : log.append(drafts);
    });
    await this.publish(events);
    return events;
  }

  /** Appends without deciding (reactions, imports), then runs reactions. */
  async append(drafts: ReadonlyArray<EventDraft>, opts: AppendOptions = {}): Promise<Array<SporEvent>> {
    const events = await this.store.withLock(async (log) => {
      const appended = log.append(drafts, opts);
      // Snapshots a read left for the next lock (Projector.defer) are written under this one; they
      // are only a shortcut, so failing to write them never fails the append.
      await this.projector.flush().catch(() => {});
      return appended;
    });
    await this.publish(events);
    return events;
  }

  private publish(events: ReadonlyArray<SporEvent>): Promise<void> {
    return this.bus.publish(events, (drafts) => this.append(drafts));
  }
}
