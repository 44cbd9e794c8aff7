// Sharing round trips to PostgreSQL between the requests a server handles at once. Under load a
// round trip per read and per write (a claim: auth, node, lease, write) left the server waiting on
// the loopback and on one WAL flush per claim; batched, the requests of one turn of the event loop
// share one query per kind of read, and the writes decided meanwhile share one statement.

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads of one kind by key, gathered for a turn of the event loop and asked as one query
 * (`WHERE key = ANY($1)`). Each read still sees what is committed when its query runs, which is
 * after it was asked: a batched read is never older than a read of its own would have been.
 */
export class Loader<V> {
  private waiting = new Map<string, Array<Waiter<V>>>();
  private scheduled = false;

  constructor(private readonly fetch: (keys: Array<string>) => Promise<Map<string, V>>) {}

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) list.push({resolve, reject});
      else this.waiting.set(key, [{resolve, reject}]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    this.fetch([...batch.keys()]).then(
      (found) => {
        for (const [key, list] of batch) for (const w of list) w.resolve(found.get(key));
      },
      (e: unknown) => {
        for (const list of batch.values()) for (const w of list) w.reject(e);
      },
    );
  }
}

interface Pending<T> {
  item: T;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/** At most this many transactions share one statement. */
const MAX_BATCH = 200;
/**
 * Statements in flight at once (the next batch gathers while these commit; PostgreSQL flushes the
 * WAL of commits that coincide once).
 */
const IN_FLIGHT = 4;

/**
 * Group commit: transactions handed in while a batch is being written are written together by
 * the next one. `writeMany` answers, for each item, whether it was written (false: it lost a race
 * and wrote nothing); when it fails as a whole, every item is written alone so that only the item
 * at fault fails.
 */
export class GroupWriter<T> {
  private pending: Array<Pending<T>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly writeMany: (items: Array<T>) => Promise<Array<boolean>>,
    private readonly inFlightMax = IN_FLIGHT,
  ) {}

  write(item: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({item, resolve, reject});
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.inFlightMax || this.pending.length === 0) return;
    this.scheduled = true;
    // A turn of the event loop: the requests read in this one join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.inFlightMax) return;
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.inFlight += 1;
    try {
      await this.settle(batch);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }

  private async settle(batch: Array<Pending<T>>): Promise<void> {
    let written: Array<boolean>;
    try {
      written = await this.writeMany(batch.map((p) => p.item));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]?.reject(e);
        return;
      }
      await Promise.all(batch.map((p) => this.settle([p])));
      return;
    }
    batch.forEach((p, i) => p.resolve(written[i] === true));
  }
}
