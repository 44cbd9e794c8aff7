import type {Writable} from 'node:stream';
import {PLUGIN_REGISTRY, resolve, type Clock, type Container} from '../../core/index.js';
import {DAY_MS} from './duration.js';
import {buildApp, DEFAULT_LIMITS, type HttpLimits} from './http/app.js';
import type {ServerPolicy} from './http/route.js';
import {collectRoutes} from './http/routes.js';
import type {TeamStore} from './store/contract.js';
import {openStore} from './store/open.js';

export const DEFAULT_POLICY: ServerPolicy = {
  claimTtlMs: 45 * 60_000,
  claimTtlMaxMs: 8 * 60 * 60_000,
  patMaxMs: 365 * DAY_MS,
  sessionTokenMaxMs: 7 * DAY_MS,
  org: 'local',
  rootId: 'org-root',
};

export interface ServerOptions {
  /** A booted host (the CLI's, or a test's): the server serves the routes its plugins contribute. */
  container: Container;
  /** An open store, or a spec for one (`embedded`, the default, or `postgres://…`). */
  store?: TeamStore | string;
  /** The clock for leases, expiries and timestamps (tests move it; they never sleep). */
  clock: Clock;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  policy?: Partial<ServerPolicy>;
  limits?: Partial<HttpLimits>;
  /** The structured request log (JSON lines, without tokens); none: no log. */
  log?: Writable;
}

export interface RunningServer {
  url: string;
  port: number;
  store: TeamStore;
  policy: ServerPolicy;
  /** Every route the server answers, as registered (`GET /v1/nodes/:id`). */
  routes: Array<{method: string; url: string; public: boolean}>;
  /** Stops taking connections, lets requests in flight finish, then closes the store it opened. */
  close(): Promise<void>;
}

/** Starts the team server over a booted host. */
export const startServer = async (opts: ServerOptions): Promise<RunningServer> => {
  const policy = {...DEFAULT_POLICY, ...opts.policy};
  const limits = {...DEFAULT_LIMITS, ...opts.limits};
  const collected = collectRoutes(resolve(opts.container, PLUGIN_REGISTRY));
  const owned = typeof opts.store !== 'object';
  const store = typeof opts.store === 'object' ? opts.store : await openStore(opts.store, opts.container, opts.clock);
  try {
    const {app, routes} = await buildApp({
      routes: collected.map((r) => r.route),
      services: {store, clock: opts.clock, policy, container: opts.container, started: opts.clock.now()},
      limits,
      ...(opts.log ? {log: opts.log} : {}),
    });
    await app.ready();
    await app.listen({host: opts.host ?? '127.0.0.1', port: opts.port ?? 0});
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
    const host = opts.host ?? '127.0.0.1';
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      store,
      policy,
      routes,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          if (owned) await store.close();
        })()),
    };
  } catch (e) {
    if (owned) await store.close();
    throw e;
  }
};
