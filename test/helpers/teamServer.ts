import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import nock from 'nock';
import {boot} from '../../core/bootstrap.js';
import {builtinPlugins} from '../../core/builtins.js';
import {EVENT_CATALOG, EVENT_STORE} from '../../core/tokens.js';
import {resolve} from '../../core/di.js';
import type {Clock} from '../../core/clock.js';
import type {EventCatalog} from '../../core/catalog.js';
import type {EventStore} from '../../core/eventStore.js';
import {startServer, type RunningServer, type ServerOptions, type TeamStore} from '../../plugins/server/api.js';
import {EmbeddedTeamStore} from '../../plugins/server/store/embedded.js';
import {PostgresTeamStore} from '../../plugins/server/store/postgres.js';
import {Capture} from './inProcess.js';
import {manualClock, type ManualClock} from './fakeClock.js';

// These tests talk to real servers on 127.0.0.1. nock's interceptor (the unit project's setup
// installs it) makes every loopback request ~10x slower, so it is set aside while servers run.
let running = 0;
const suspendNock = (): void => {
  if (running++ === 0) nock.restore();
};
const resumeNock = (): void => {
  if (--running === 0) {
    nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  }
};

import {PG_URL, pgSchema, postgresReachable as reachable} from './postgres.js';
import {call, type Member} from './http.js';

export {PG_URL, pgSchema, call, type Member};

/** Whether PostgreSQL answers (CI must have it: `.ci/run` starts it); nock is set aside to ask. */
export const postgresReachable = async (): Promise<boolean> => {
  suspendNock();
  try {
    return await reachable();
  } finally {
    resumeNock();
  }
};

export type StoreKind = 'embedded' | 'postgres';

export interface TeamServerHandle extends RunningServer {
  clock: ManualClock;
  home: string;
  /** SPOR_HOME of the server (its event log, for the embedded store). */
  sporHome: string;
  log: Capture;
  /** Closes the server, the store and drops the test's schema. */
  stop(): Promise<void>;
}

export interface TeamServerOptions extends Partial<Omit<ServerOptions, 'container' | 'store' | 'clock'>> {
  kind?: StoreKind;
  clock?: ManualClock;
  /** Reuse a PostgreSQL schema (another server of the same test shares it). */
  pgUrl?: string;
}

/** Boots the host in this process over a temporary SPOR_HOME and starts the team server on it. */
export const startTeamServer = async (opts: TeamServerOptions = {}): Promise<TeamServerHandle> => {
  suspendNock();
  // Not tempDir(): that one is removed after each test, and a server may serve a whole file.
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'spor-serve-')));
  const clock = opts.clock ?? manualClock();
  const booted = await boot({
    env: {HOME: home, SPOR_HOME: join(home, '.spor'), PATH: process.env.PATH ?? ''},
    cwd: home,
    stderr: new Capture(),
    builtins: builtinPlugins(),
    clock: clock as Clock,
    userPlugins: false,
  });
  let store: TeamStore;
  let drop = async (): Promise<void> => {};
  if (opts.kind === 'postgres') {
    let url = opts.pgUrl;
    if (url === undefined) {
      const s = pgSchema();
      url = s.url;
      drop = s.drop;
    }
    store = await PostgresTeamStore.open(url, {clock, poolSize: 12});
  } else {
    store = new EmbeddedTeamStore(resolve(booted.container, EVENT_STORE), resolve(booted.container, EVENT_CATALOG));
  }
  const log = new Capture();
  const {kind: _kind, clock: _clock, pgUrl: _pgUrl, ...rest} = opts;
  const server = await startServer({container: booted.container, store, clock, log, ...rest});
  return {
    ...server,
    clock,
    home,
    sporHome: join(home, '.spor'),
    log,
    stop: async () => {
      await server.close();
      await store.close();
      await drop();
      rmSync(home, {recursive: true, force: true});
      resumeNock();
    },
  };
};

/** The first admin (through `initAdmin`, as `spor serve --init-admin` does). */
export const adminOf = async (server: TeamServerHandle, name = 'Ada Admin'): Promise<Member> => {
  const {initAdmin} = await import('../../plugins/server/api.js');
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
  const a = await initAdmin(server.store, {name, email}, server.policy, server.clock.now());
  return {id: a.person, token: a.token};
};

/** A teammate with a PAT, onboarded by `admin` over the API. */
export const memberOf = async (server: TeamServerHandle, admin: Member, name: string): Promise<Member> => {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
  const made = await call(server, 'POST', '/v1/admin/people', {token: admin.token, body: {name, email}});
  if (made.status !== 201) throw new Error(`person ${name}: ${made.status} ${JSON.stringify(made.body)}`);
  const pat = await call(server, 'POST', '/v1/admin/tokens', {token: admin.token, body: {person: made.body.id}});
  if (pat.status !== 201) throw new Error(`token for ${name}: ${pat.status} ${JSON.stringify(pat.body)}`);
  return {id: made.body.id, token: pat.body.token};
};

/** The store kinds to run a suite on: embedded always, PostgreSQL when it answers. */
export const storeKinds = async (): Promise<Array<StoreKind>> =>
  (await postgresReachable()) ? ['embedded', 'postgres'] : ['embedded'];

/** A store alone (no server), over a home or a PostgreSQL schema a test may open twice. */
export const openTestStore = async (
  kind: StoreKind,
  where: {home: string; pgUrl?: string},
  clock: Clock = manualClock(),
): Promise<TeamStore> => {
  if (kind === 'postgres') return PostgresTeamStore.open(where.pgUrl ?? PG_URL, {clock});
  const {log, catalog} = await embeddedLog(where.home, clock);
  return new EmbeddedTeamStore(log, catalog);
};

/** The event log (and its catalog) an embedded store in `home` writes, as `spor serve` boots it. */
export const embeddedLog = async (
  home: string,
  clock: Clock = manualClock(),
): Promise<{log: EventStore; catalog: EventCatalog}> => {
  const booted = await boot({
    env: {HOME: home, SPOR_HOME: join(home, '.spor'), PATH: process.env.PATH ?? ''},
    cwd: home,
    stderr: new Capture(),
    builtins: builtinPlugins(),
    clock,
    userPlugins: false,
  });
  return {log: resolve(booted.container, EVENT_STORE), catalog: resolve(booted.container, EVENT_CATALOG)};
};

export {suspendNock, resumeNock};
