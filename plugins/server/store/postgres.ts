import {randomUUID} from 'node:crypto';
import type {Pool, PoolClient, QueryResultRow} from 'pg';
import {StoreError, UsageError, type Clock} from '../../../core/index.js';
import type {Capabilities} from '../../capabilities/api.js';
import {streamOf, type TeamDraft} from '../events.js';
import {TRANSACTION_TRIES, VersionConflict, type TeamReader, type TeamStore, type TeamTx} from './contract.js';
import {MIGRATIONS} from './migrations/index.js';
import {GroupWriter, Loader} from './pgBatch.js';
import type {CapabilitiesRecord, Credential, LeaseRecord, NodeRecord, TeamNode, TokenRecord} from './records.js';

type Queryable = Pick<PoolClient, 'query'>;
type Row = QueryResultRow;

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

const nodeOf = (r: Row, p = ''): NodeRecord => ({
  node: r[`${p}doc`] as TeamNode,
  revision: r[`${p}revision`] as string,
  version: r[`${p}version`] as number,
  ...(r[`${p}owner`] ? {owner: r[`${p}owner`] as string} : {}),
});

const tokenOf = (r: Row): TokenRecord => ({
  hash: r.hash,
  kind: r.kind,
  ...(r.person === null ? {} : {person: r.person}),
  ...(r.agent === null ? {} : {agent: r.agent}),
  standing: r.standing,
  session: r.session,
  ...(r.label === null ? {} : {label: r.label}),
  created: r.created,
  expires: r.expires,
  issued_by: r.issued_by,
  ...(r.revoked === null ? {} : {revoked: r.revoked}),
  ...(r.last_used === null ? {} : {last_used: r.last_used}),
  version: r.version,
});

const leaseOf = (r: Row): LeaseRecord => ({
  node: r.node,
  fence: Number(r.fence),
  version: r.version,
  ...(r.person === null
    ? {}
    : {
        holder: {
          person: r.person,
          ...(r.agent === null ? {} : {agent: r.agent}),
          ...(r.session === null ? {} : {session: r.session}),
          claimed_at: r.claimed_at,
          expires_at: r.expires_at,
        },
      }),
});

const capsOf = (r: Row): CapabilitiesRecord & {owner?: string} => ({
  agent: r.agent,
  capabilities: r.capabilities as Capabilities,
  published_at: r.published_at,
  last_seen: r.last_seen,
  published_by: r.published_by,
  ...(r.session === null ? {} : {session: r.session}),
  version: r.version,
  ...(r.owner ? {owner: r.owner} : {}),
});

const NODE_COLUMNS = 'id, type, owner, version, revision, doc';
const TOKEN_COLUMNS =
  'hash, version, kind, person, agent, standing, session, label, created, expires, issued_by, revoked, last_used';

/** The reads every request makes, batched across the requests in flight (pgBatch.ts). */
interface Loaders {
  node: Loader<NodeRecord>;
  lease: Loader<LeaseRecord>;
  credential: Loader<Credential>;
}

const CREDENTIAL_SQL = `SELECT t.hash, t.version, t.kind, t.person, t.agent, t.standing, t.session, t.label, t.created,
    t.expires, t.issued_by, t.revoked, t.last_used,
    a.doc AS a_doc, a.revision AS a_revision, a.version AS a_version, a.owner AS a_owner,
    p.doc AS p_doc, p.revision AS p_revision, p.version AS p_version, p.owner AS p_owner
  FROM team_tokens t
  LEFT JOIN team_nodes a ON a.id = t.agent
  LEFT JOIN team_nodes p ON p.id = COALESCE(t.person, a.owner)
 WHERE t.hash = ANY($1::text[])`;

// Named: every request runs them, and PostgreSQL then plans each once per connection.
const loadersOf = (db: Queryable): Loaders => {
  const by = async <V>(name: string, text: string, keys: Array<string>, key: string, of: (r: Row) => V) => {
    const {rows} = await db.query({name, text, values: [keys]});
    return new Map(rows.map((r) => [r[key] as string, of(r)]));
  };
  return {
    node: new Loader((keys) =>
      by('team-nodes', `SELECT ${NODE_COLUMNS} FROM team_nodes WHERE id = ANY($1::text[])`, keys, 'id', (r) =>
        nodeOf(r),
      ),
    ),
    lease: new Loader((keys) =>
      by('team-leases', 'SELECT * FROM team_leases WHERE node = ANY($1::text[])', keys, 'node', leaseOf),
    ),
    credential: new Loader((keys) =>
      by('team-credentials', CREDENTIAL_SQL, keys, 'hash', (r) => ({
        token: tokenOf(r),
        ...(r.p_doc ? {person: nodeOf(r, 'p_')} : {}),
        ...(r.a_doc ? {agent: nodeOf(r, 'a_')} : {}),
      })),
    ),
  };
};

/** The reads of the contract as SQL over the projection tables. */
class PgReader implements TeamReader {
  constructor(
    protected readonly db: Queryable,
    protected readonly loaders: Loaders,
  ) {}

  node(id: string): Promise<NodeRecord | undefined> {
    return this.loaders.node.load(id);
  }

  async nodes(type?: string): Promise<Array<NodeRecord>> {
    const {rows} =
      type === undefined
        ? await this.db.query(`SELECT ${NODE_COLUMNS} FROM team_nodes ORDER BY seq`)
        : await this.db.query(`SELECT ${NODE_COLUMNS} FROM team_nodes WHERE type = $1 ORDER BY seq`, [type]);
    return rows.map((r) => nodeOf(r));
  }

  async inbound(id: string): Promise<Array<NodeRecord>> {
    const {rows} = await this.db.query(
      `SELECT ${NODE_COLUMNS} FROM team_nodes WHERE id IN (SELECT src FROM team_edges WHERE dst = $1) ORDER BY seq`,
      [id],
    );
    return rows.map((r) => nodeOf(r));
  }

  async graphKey(): Promise<string | undefined> {
    return undefined;
  }

  async token(hash: string): Promise<TokenRecord | undefined> {
    const {rows} = await this.db.query(`SELECT ${TOKEN_COLUMNS} FROM team_tokens WHERE hash = $1`, [hash]);
    return rows[0] ? tokenOf(rows[0]) : undefined;
  }

  async tokens(filter: {person?: string; agent?: string; prefix?: string}): Promise<Array<TokenRecord>> {
    const where: Array<string> = [];
    const args: Array<string> = [];
    if (filter.person !== undefined) where.push(`person = $${args.push(filter.person)}`);
    if (filter.agent !== undefined) where.push(`agent = $${args.push(filter.agent)}`);
    if (filter.prefix !== undefined) where.push(`hash LIKE $${args.push(`${filter.prefix.replace(/[%_\\]/g, '')}%`)}`);
    const {rows} = await this.db.query(
      `SELECT ${TOKEN_COLUMNS} FROM team_tokens${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
      args,
    );
    return rows.map(tokenOf);
  }

  credential(hash: string): Promise<Credential | undefined> {
    return this.loaders.credential.load(hash);
  }

  lease(node: string): Promise<LeaseRecord | undefined> {
    return this.loaders.lease.load(node);
  }

  async capabilities(agent: string): Promise<CapabilitiesRecord | undefined> {
    const {rows} = await this.db.query({
      name: 'team-caps',
      text: 'SELECT * FROM team_capabilities WHERE agent = $1',
      values: [agent],
    });
    if (!rows[0]) return undefined;
    const {owner: _owner, ...caps} = capsOf(rows[0]);
    return caps;
  }

  async fleet(owner?: string): Promise<Array<CapabilitiesRecord & {owner?: string}>> {
    const base = 'SELECT c.*, n.owner FROM team_capabilities c LEFT JOIN team_nodes n ON n.id = c.agent';
    // A member's hosts: their agents through the owner index, then each one's row by key.
    const {rows} =
      owner === undefined
        ? await this.db.query(`${base} ORDER BY c.agent`)
        : await this.db.query({
            name: 'team-fleet-of',
            text: `${base} WHERE n.owner = $1 ORDER BY c.agent`,
            values: [owner],
          });
    return rows.map(capsOf);
  }

  async head(): Promise<number> {
    const {rows} = await this.db.query('SELECT count(*)::int AS n FROM team_events');
    return (rows[0]?.n as number | undefined) ?? 0;
  }
}

class PgTx extends PgReader implements TeamTx {
  readonly appends: Array<{stream: string; expected: number; drafts: ReadonlyArray<TeamDraft>}> = [];
  append(stream: string, expectedVersion: number, drafts: ReadonlyArray<TeamDraft>): void {
    for (const d of drafts)
      if (streamOf(d) !== stream) throw new Error(`a ${d.type} event does not belong to stream '${stream}'`);
    this.appends.push({stream, expected: expectedVersion, drafts});
  }
}

/** An event as `team_write` takes it. */
interface PendingEvent {
  id: string;
  stream: string;
  version: number;
  type: TeamDraft['type'];
  data: TeamDraft['data'];
}

const firstStream = (events: ReadonlyArray<PendingEvent> | undefined): string => events?.[0]?.stream ?? '';

const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as {code: unknown}).code) : undefined;

/** Errors after which the whole transaction is worth running again. */
const retryable = (e: unknown): boolean =>
  e instanceof VersionConflict ||
  (pgCode(e) === '23505' && /team_events_stream_version/.test(String((e as {constraint?: string}).constraint))) ||
  pgCode(e) === '40001' ||
  pgCode(e) === '40P01';

/** The stream a unique violation names (`Key (stream, version)=(node/x, 3) already exists.`). */
const conflictOf = (e: unknown): VersionConflict => {
  const m = /\(stream, version\)=\((.*), (\d+)\)/.exec(String((e as {detail?: string}).detail ?? ''));
  return m ? new VersionConflict(m[1] as string, Number(m[2]) - 1, undefined) : new VersionConflict('?', 0, undefined);
};

export interface PostgresOptions {
  clock: Clock;
  /** Who the events' envelope names as their actor. */
  actor?: string;
  /** Connections per server process. */
  poolSize?: number;
}

/**
 * The PostgreSQL backend: events in `team_events` (UNIQUE (stream, version) makes every append
 * conditional on the version it decided against) and the projections in tables updated in the
 * same transaction. Any number of servers may share one database: every decision is a
 * transaction, and one that lost a race is run again against the new state.
 */
export class PostgresTeamStore extends PgReader implements TeamStore {
  readonly kind = 'postgres';

  private constructor(
    private readonly pool: Pool,
    private readonly opts: PostgresOptions,
    readonly schema: string,
  ) {
    super(pool, loadersOf(pool));
  }

  private readonly writer = new GroupWriter<Array<PendingEvent>>((txs) => this.writeMany(txs));

  /**
   * Connects and applies the migrations not yet applied (under an advisory lock, so servers that
   * start together take turns). `?schema=<name>` in the URL keeps the tables in that schema.
   */
  static async open(url: string, opts: PostgresOptions): Promise<PostgresTeamStore> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'public';
    parsed.searchParams.delete('schema');
    if (!SCHEMA.test(schema))
      throw new UsageError(`schema '${schema}' is not a plain lower-case SQL name`, {
        code: 'E_SERVE_STORE',
        hint: 'use letters, digits and _ (e.g. ?schema=spor)',
      });
    const pg = await import('pg');
    const PoolClass = (pg.default ?? pg).Pool;
    const pool = new PoolClass({
      connectionString: parsed.toString(),
      max: opts.poolSize ?? 20,
      application_name: 'spor-serve',
      options: `-c search_path=${schema}`,
    });
    // An idle connection the database dropped must not take the server down.
    pool.on('error', () => {});
    const store = new PostgresTeamStore(pool, opts, schema);
    try {
      await store.migrate();
    } catch (e) {
      await pool.end();
      const message = e instanceof Error ? e.message : String(e);
      throw new StoreError(`cannot open the PostgreSQL store: ${message}`, {
        code: 'E_SERVE_STORE',
        hint: 'check the URL, that the server is up and that the user may create tables',
      });
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`spor-team-migrations:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS team_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const {rows} = await client.query('SELECT id FROM team_migrations');
      const applied = new Set(rows.map((r: Row) => r.id as string));
      for (const m of MIGRATIONS) {
        if (applied.has(m.id)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO team_migrations (id) VALUES ($1)', [m.id]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Reads run on their own (each sees what is committed when it runs, batched with the reads of
   * other requests in flight); the appends are then handed to the group writer, which writes the
   * transactions decided meanwhile as one `team_write` call: each in a subtransaction, so that one
   * whose stream moved past the version it read (the unique (stream, version) index) writes
   * nothing and runs again against the new state, while the others commit. Every decision states
   * the version of each stream it appends to, so reads outside the write's own transaction lose
   * nothing.
   */
  async transact<R>(work: (tx: TeamTx) => Promise<R>): Promise<R> {
    for (let tries = 1; ; tries += 1) {
      try {
        const tx = new PgTx(this.pool, this.loaders);
        const value = await work(tx);
        const events = tx.appends.flatMap((a) =>
          a.drafts.map((d, i) => ({
            id: randomUUID(),
            stream: a.stream,
            version: a.expected + i + 1,
            type: d.type,
            data: d.data,
          })),
        );
        if (events.length === 0 || (await this.writer.write(events))) return value;
        const first = tx.appends[0] as PgTx['appends'][number];
        throw new VersionConflict(first.stream, first.expected, undefined);
      } catch (e) {
        if (!retryable(e)) throw e;
        if (tries >= TRANSACTION_TRIES) throw e instanceof VersionConflict ? e : conflictOf(e);
        // Writers of one hot stream take turns: a short, growing, jittered pause spreads them.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, tries * 2)));
      }
    }
  }

  /** One statement for many transactions: whether each was written (false: it lost a race). */
  private async writeMany(txs: Array<Array<PendingEvent>>): Promise<Array<boolean>> {
    // In stream order, so that batches in flight together take their rows in one order and
    // rarely wait on each other.
    const order = txs.map((_, i) => i).sort((a, b) => firstStream(txs[a]).localeCompare(firstStream(txs[b])));
    const {rows} = await this.pool.query({
      name: 'team-write',
      text: 'SELECT team_write($1::jsonb, $2, $3) AS lost',
      values: [
        JSON.stringify(order.map((i) => txs[i])),
        this.opts.clock.now().toISOString(),
        this.opts.actor ?? 'server',
      ],
    });
    const lost = new Set(((rows[0]?.lost ?? []) as Array<number>).map((k) => order[k]));
    return txs.map((_, i) => !lost.has(i));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
