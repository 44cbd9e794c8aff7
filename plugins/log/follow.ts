import type {SporEvent, EventStore} from '../../core/index.js';

/** Where a reader is in the log: the byte just past the record with seq `seq`. */
export interface LogPosition {
  offset: number;
  seq: number;
}

export interface FollowOptions {
  /** How often to look at the log's size (ms). */
  intervalMs?: number;
  /** Called after each batch of new events (to flush output). */
  onBatch?: () => void;
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, {once: true});
  });

/**
 * Delivers every record committed after `from` until `signal` aborts. It polls the log's size:
 * cheap, and it works where file-change notifications do not (network file systems, containers).
 * Only committed records are read, so a writer's half-written line is picked up once complete.
 * Throws (StoreError) if the log turns out damaged or shorter than what was already read.
 */
export const followLog = async (
  store: EventStore,
  from: LogPosition,
  onEvent: (event: SporEvent) => void,
  signal: AbortSignal,
  opts: FollowOptions = {},
): Promise<LogPosition> => {
  let at = from;
  while (!signal.aborted) {
    await pause(opts.intervalMs ?? 150, signal);
    if (signal.aborted || store.size() === at.offset) continue;
    const result = store.read(at.offset, at.seq, onEvent);
    at = {offset: result.committedEnd, seq: result.lastSeq};
    opts.onBatch?.();
  }
  return at;
};
