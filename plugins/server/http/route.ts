import type {Clock, Container} from '../../../core/index.js';
import type {TeamStore} from '../store/contract.js';
import type {Attribution, TokenRecord} from '../store/records.js';
import type {JsonSchema} from './schemas.js';

/** What the server's policy fixes (flags and settings of `spor serve`). */
export interface ServerPolicy {
  /** A claim's lease, renewed by heartbeats (default 45 minutes). */
  claimTtlMs: number;
  /** The furthest `extend` may push a lease, from now (the tenant's `claim_ttl_max`). */
  claimTtlMaxMs: number;
  /** Default and cap of a PAT's lifetime (1 year). */
  patMaxMs: number;
  /** Default and cap of a per-session agent token's lifetime (7 days). */
  sessionTokenMaxMs: number;
  /** The org slug `GET /v1/me` echoes. */
  org: string;
  /** The graph root whose stewards are admins (`org-root`). */
  rootId: string;
}

/**
 * Who is calling: the person a token is bound to, or an agent acting for its owner. `kind: 'none'`
 * only on the public routes of the allowlist.
 */
export interface Viewer {
  kind: 'person' | 'agent' | 'none';
  /** The person (the agent's owner, for agent tokens). */
  person: string;
  name: string;
  email?: string;
  agent?: string;
  /** An agent token's run session (null until bound). */
  session: string | null;
  /** A person token whose person stewards the graph root (admin routes need it). */
  isAdmin: boolean;
  token?: TokenRecord;
  /** How writes under this token are stamped (§1 of the contract). */
  by: Attribution;
}

/** What a route handler gets: the validated input, who asks, and when (the injected clock). */
export interface RouteRequest<B = unknown, P = unknown, Q = unknown> {
  viewer: Viewer;
  body: B;
  params: P;
  query: Q;
  now: Date;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What every route may use, built once by the server. */
export interface RouteServices {
  store: TeamStore;
  clock: Clock;
  policy: ServerPolicy;
  container: Container;
  started: Date;
}

/**
 * A route, as a plugin contributes it to the `routes` point the server plugin owns. `name` is
 * `<METHOD> <path>` with the contract's `{param}` spelling, and is unique across plugins.
 */
export interface RouteContribution<B = unknown, P = unknown, Q = unknown> {
  name: string;
  /** Needs no bearer token. Only routes the server's allowlist names may say so. */
  public?: true;
  schema: {body?: JsonSchema; params?: JsonSchema; querystring?: JsonSchema};
  /** The error code of a request that fails its schema (default `invalid_request`). */
  invalid?: string;
  handle(req: RouteRequest<B, P, Q>, services: RouteServices): Promise<RouteResult>;
}

export type RouteSchemas = RouteContribution['schema'];

/**
 * Any route, whatever its input types (the server validates input against the schema), as it is
 * contributed: its schema behind a function, so that the host's manifest of contributions (plain
 * data, read by every command at start-up) does not carry every route's schema.
 */
export type SomeRoute = Omit<RouteContribution<never, never, never>, 'schema'> & {schema: () => RouteSchemas};

/** Types a route's input from its schema's intent; the schema is what the server enforces. */
export const defineRoute = <B = Record<string, never>, P = Record<string, never>, Q = Record<string, never>>(
  route: RouteContribution<B, P, Q>,
): SomeRoute => {
  const {schema, ...rest} = route;
  return {...(rest as unknown as Omit<SomeRoute, 'schema'>), schema: () => schema};
};

/** `GET /v1/nodes/{id}` → method and Fastify's `/v1/nodes/:id`. */
export const routeTarget = (name: string): {method: 'GET' | 'POST' | 'DELETE'; url: string} => {
  const m = /^(GET|POST|DELETE) (\/\S*)$/.exec(name);
  if (!m) throw new Error(`route name '${name}' is not '<GET|POST|DELETE> /path'`);
  return {method: m[1] as 'GET' | 'POST' | 'DELETE', url: (m[2] as string).replace(/\{([a-z_]+)\}/g, ':$1')};
};
