// The remote plugin's public surface: the only file other plugins may import.
import {token, UsageError} from '../../core/index.js';
import type {RemoteClient} from './client.js';
import type {Connection} from './connection.js';

export {RemoteError, createClient, retryAfterMs, type RemoteClient, type RequestOptions} from './client.js';
export type {Connection} from './connection.js';
export type * from './wire.js';

/** How long one request to the team server may take (duration). */
export const TIMEOUT_KEY = 'remote.timeout';

/** The run companion (runs plugin's `runCompanions` point) that keeps a dispatched node's lease. */
export const LEASE_COMPANION = 'team-lease';

/** What the lease companion is handed over the supervisor's pipe (it holds a token: never a file). */
export interface LeaseCompanionData {
  server: string;
  /** The bearer that renews and releases: the run's agent token, else the dispatcher's own. */
  token: string;
  /** The claimed node; absent with `--no-claim` (the companion then only binds the session). */
  node?: string;
  /** How often to renew, in milliseconds. */
  renewEveryMs: number;
  /** Bind the run's session to its agent token (`POST /v1/agents/session`) once the harness names it. */
  bindSession: boolean;
  timeoutMs: number;
}

/**
 * An agent id as the token endpoint takes it (`agent-…`, what `spor agent list` prints); a
 * prefix-less one is a usage error with the `did you mean agent-…?` hint the contract asks for.
 */
export const requireAgentId = (id: string, flag: string): string => {
  if (/^agent-[a-z0-9][a-z0-9-]*$/.test(id)) return id;
  const tail = id
    .toLowerCase()
    .replace(/^agent-?/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  throw new UsageError(`${flag} '${id}' is not an agent id; did you mean agent-${tail || '…'}?`, {
    code: 'E_AGENT_ID',
    hint: 'give the agent node id, `agent-<label>` (see `spor agent list`)',
  });
};

/** Whether this invocation talks to a team server (SPOR_SERVER + SPOR_TOKEN, or `spor login`). */
export interface Remote {
  /** The server and token in force, or undefined in local mode; a half-configured remote mode throws. */
  connection(): Connection | undefined;
  /** A client for the connection (timeout from `remote.timeout`), or undefined in local mode. */
  client(): Promise<RemoteClient | undefined>;
  /** A client for another server or bearer (login checks a token before saving it). */
  clientFor(conn: {server: string; token: string}): Promise<RemoteClient>;
  /** The client, or a refusal saying `what` (a plural: 'agent tokens') need a team server. */
  required(what: string): Promise<RemoteClient>;
}

/** Provided by the `remote` plugin. */
export const REMOTE = token<Remote>('spor.remote.Remote');
