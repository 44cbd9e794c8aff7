import type {TeamDraft} from '../events.js';
import type {CapabilitiesRecord, Credential, LeaseRecord, NodeRecord, TokenRecord} from './records.js';

/** Reads of the team server's projections. Every backend answers them alike (one contract suite). */
export interface TeamReader {
  node(id: string): Promise<NodeRecord | undefined>;
  /** Every node (of one type when given), in the order they were created. */
  nodes(type?: string): Promise<Array<NodeRecord>>;
  /** The nodes with an edge (of any type) to `id`. */
  inbound(id: string): Promise<Array<NodeRecord>>;
  /**
   * A key that changes whenever any node does (caches of the whole graph key on it); undefined
   * when the backend cannot tell cheaply (then nothing is cached).
   */
  graphKey(): Promise<string | undefined>;
  token(hash: string): Promise<TokenRecord | undefined>;
  /** Tokens of a person, of an agent, or whose hash starts with `prefix` (revoked ones too). */
  tokens(filter: {person?: string; agent?: string; prefix?: string}): Promise<Array<TokenRecord>>;
  /** The token with the nodes its subject resolves to: the one read every request makes. */
  credential(hash: string): Promise<Credential | undefined>;
  lease(node: string): Promise<LeaseRecord | undefined>;
  capabilities(agent: string): Promise<CapabilitiesRecord | undefined>;
  /** Every published machine with its agent's owner (only those owned by `owner` when given). */
  fleet(owner?: string): Promise<Array<CapabilitiesRecord & {owner?: string}>>;
  /** How many events the store holds (the log's head). */
  head(): Promise<number>;
}

/**
 * One transaction: reads, then appends. An append names the stream version its decision was made
 * against (0 for a new stream); if another writer got there first the whole transaction is run
 * again against the new state. Appends are buffered: reads in the same transaction do not see them.
 */
export interface TeamTx extends TeamReader {
  append(stream: string, expectedVersion: number, drafts: ReadonlyArray<TeamDraft>): void;
}

/**
 * The team server's event-sourced state behind one contract, with two backends: the embedded
 * JSONL log in $SPOR_HOME (default) and PostgreSQL. Events are the truth; the reads are projections
 * kept up to date in the same commit as the events.
 */
export interface TeamStore extends TeamReader {
  /** `embedded` or `postgres`. */
  readonly kind: string;
  /**
   * Runs `work` as one transaction and commits what it appended, atomically; reruns it when an
   * expected version no longer holds (a few times, then a ConflictError). Resolves once durable.
   */
  transact<R>(work: (tx: TeamTx) => Promise<R>): Promise<R>;
  /** Waits for what is in flight, then releases files and connections. */
  close(): Promise<void>;
}

/** An append whose expected version no longer holds (the transaction is retried). */
export class VersionConflict extends Error {
  constructor(
    readonly stream: string,
    readonly expected: number,
    readonly actual: number | undefined,
  ) {
    super(`stream '${stream}' is at version ${actual ?? '?'}, not ${expected}`);
  }
}

/** How many times a transaction is run before a conflict is reported (a hot stream takes turns). */
export const TRANSACTION_TRIES = 30;
