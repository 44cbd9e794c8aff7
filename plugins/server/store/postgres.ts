import {randomUUID} from 'node:crypto';
import type {Pool, PoolClient, QueryResultRow} from 'pg';
import {StoreError, UsageError, type Clock} from '../../../core/index.js';
import type {Capabilities} from '../../capabilities/api.js';
import {streamOf, type TeamDraft} from '../events.js';
import {TRANSACTION_TRIES, VersionConflict, type TeamReader, type TeamStore, type TeamTx} from './contract.js';
import {MIGRATIONS} from './migrations/index.js';
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

/** The reads of the contract as SQL over the projection tables. */
class PgReader implements TeamReader {
  constructor(protected readonly db: Queryable) {}

  async node(id: string): Promise<NodeRecord | undefined> {
    const {rows} = await this.db.query({
      name: 'team-node',
      text: `SELECT ${NODE_COLUMNS} FROM team_nodes WHERE id = $1`,
      values: [id],
    });
    return rows[0] ? nodeOf(rows[0]) : undefined;
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

  async credential(hash: string): Promise<Credential | undefined> {
    // Named: every request runs it, and PostgreSQL then plans it once per connection.
    const {rows} = await this.db.query({
      name: 'team-credential',
      text: `SELECT t.hash, t.version, t.kind, t.person, t.agent, t.standing, t.session, t.label, t.created, t.expires,
              t.issued_by, t.revoked, t.last_used,
              a.doc AS a_doc, a.revision AS a_revision, a.version AS a_version, a.owner AS a_owner,
              p.doc AS p_doc, p.revision AS p_revision, p.version AS p_version, p.owner AS p_owner
         FROM team_tokens t
         LEFT JOIN team_nodes a ON a.id = t.agent
         LEFT JOIN team_nodes p ON p.id = COALESCE(t.person, a.owner)
        WHERE t.hash = $1`,
      values: [hash],
    });
    const r = rows[0];
    if (!r) return undefined;
    return {
      token: tokenOf(r),
      ...(r.p_doc ? {person: nodeOf(r, 'p_')} : {}),
      ...(r.a_doc ? {agent: nodeOf(r, 'a_')} : {}),
    };
  }

  async lease(node: string): Promise<LeaseRecord | undefined> {
    const {rows} = await this.db.query({
      name: 'team-lease',
      text: 'SELECT * FROM team_leases WHERE node = $1',
      values: [node],
    });
    return rows[0] ? leaseOf(rows[0]) : undefined;
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
    const {rows} =
      owner === undefined
        ? await this.db.query(`${base} ORDER BY c.agent`)
        : await this.db.query(`${base} WHERE n.owner = $1 ORDER BY c.agent`, [owner]);
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

/** Data-modifying statements (`$n` numbered within `values`) that fold one event into the tables. */
type Projection = {parts: Array<string>; values: Array<unknown>};

/** What one event does to the projection tables (the SQL twin of TeamState.apply). */
const projection = (d: TeamDraft, version: number): Projection => {
  switch (d.type) {
    case 'team-node-written': {
      const {node, revision} = d.data;
      const owner = node.type === 'agent' ? (node.edges.find((e) => e.type === 'owned-by')?.to ?? null) : null;
      // The document, and its edges as rows (replaced whole).
      return {
        parts: [
          `INSERT INTO team_nodes (id, type, owner, version, revision, doc) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, owner = EXCLUDED.owner, version = EXCLUDED.version,
             revision = EXCLUDED.revision, doc = EXCLUDED.doc`,
          'DELETE FROM team_edges WHERE src = $1',
          `INSERT INTO team_edges (src, type, dst) SELECT $1, e->>'type', e->>'to' FROM jsonb_array_elements($7::jsonb) AS e`,
        ],
        values: [
          node.id,
          node.type,
          owner,
          version,
          revision,
          JSON.stringify(node),
          JSON.stringify(node.edges.map((e) => ({type: e.type, to: e.to}))),
        ],
      };
    }
    case 'team-token-issued': {
      const t = d.data;
      return {
        parts: [
          `INSERT INTO team_tokens (hash, version, kind, person, agent, standing, session, label, created, expires, issued_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        ],
        values: [
          t.hash,
          version,
          t.kind,
          t.person ?? null,
          t.agent ?? null,
          t.standing,
          t.session,
          t.label ?? null,
          t.created,
          t.expires,
          t.issued_by,
        ],
      };
    }
    case 'team-token-revoked':
      return {
        parts: ['UPDATE team_tokens SET revoked = $2, version = $3 WHERE hash = $1'],
        values: [d.data.hash, d.data.at, version],
      };
    case 'team-token-bound':
      return {
        parts: ['UPDATE team_tokens SET session = $2, version = $3 WHERE hash = $1'],
        values: [d.data.hash, d.data.session, version],
      };
    case 'team-token-used':
      return {
        parts: ['UPDATE team_tokens SET last_used = $2, version = $3 WHERE hash = $1'],
        values: [d.data.hash, d.data.at, version],
      };
    case 'team-lease-claimed': {
      const l = d.data;
      return {
        parts: [
          `INSERT INTO team_leases (node, version, fence, person, agent, session, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (node) DO UPDATE SET version = EXCLUDED.version, fence = EXCLUDED.fence, person = EXCLUDED.person,
           agent = EXCLUDED.agent, session = EXCLUDED.session, claimed_at = EXCLUDED.claimed_at,
           expires_at = EXCLUDED.expires_at`,
        ],
        values: [l.node, version, l.fence, l.person, l.agent ?? null, l.session ?? null, l.claimed_at, l.expires_at],
      };
    }
    case 'team-lease-renewed':
      return {
        parts: [
          `UPDATE team_leases SET expires_at = $2, session = COALESCE($3, session), version = $4
          WHERE node = $1 AND person IS NOT NULL`,
        ],
        values: [d.data.node, d.data.expires_at, d.data.session ?? null, version],
      };
    case 'team-lease-released':
      return {
        parts: [
          `INSERT INTO team_leases (node, version, fence) VALUES ($1, $2, 0)
         ON CONFLICT (node) DO UPDATE SET version = EXCLUDED.version, person = NULL, agent = NULL, session = NULL,
           claimed_at = NULL, expires_at = NULL`,
        ],
        values: [d.data.node, version],
      };
    case 'team-capabilities-published': {
      const c = d.data;
      return {
        parts: [
          `INSERT INTO team_capabilities (agent, version, capabilities, published_at, last_seen, published_by, session)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agent) DO UPDATE SET version = EXCLUDED.version, capabilities = EXCLUDED.capabilities,
           published_at = EXCLUDED.published_at, last_seen = EXCLUDED.last_seen, published_by = EXCLUDED.published_by,
           session = EXCLUDED.session`,
        ],
        values: [
          c.agent,
          version,
          JSON.stringify(c.capabilities),
          c.published_at,
          c.last_seen,
          c.published_by,
          c.session ?? null,
        ],
      };
    }
    case 'team-agent-seen':
      return {
        parts: ['UPDATE team_capabilities SET last_seen = $2, version = $3 WHERE agent = $1'],
        values: [d.data.agent, d.data.at, version],
      };
  }
};

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
    super(pool);
  }

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
   * Reads run on their own (each sees what is committed when it runs); the appends are then
   * written as one statement, which PostgreSQL applies atomically, and which fails at the unique
   * (stream, version) index when a stream moved past the version read: then the whole transaction
   * runs again. Every decision states the version of each stream it appends to, so reads outside
   * the write's own transaction lose nothing, and a claim costs four round trips with its auth.
   */
  async transact<R>(work: (tx: TeamTx) => Promise<R>): Promise<R> {
    for (let tries = 1; ; tries += 1) {
      try {
        const tx = new PgTx(this.pool);
        const value = await work(tx);
        await this.write(tx.appends);
        return value;
      } catch (e) {
        if (!retryable(e)) throw e;
        if (tries >= TRANSACTION_TRIES) throw e instanceof VersionConflict ? e : conflictOf(e);
        // Writers of one hot stream take turns: a short, growing, jittered pause spreads them.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, tries * 2)));
      }
    }
  }

  /**
   * All the events, and the projection of each stream's first event, as one statement; a stream
   * given several events in one transaction has the rest projected after it, in a transaction.
   */
  private async write(appends: PgTx['appends']): Promise<void> {
    const events = appends.flatMap((a) =>
      a.drafts.map((draft, i) => ({stream: a.stream, version: a.expected + i + 1, draft})),
    );
    if (events.length === 0) return;
    const at = this.opts.clock.now().toISOString();
    const actor = this.opts.actor ?? 'server';
    const values: Array<unknown> = [];
    const rows = events.map((e) => {
      const n = values.length;
      values.push(randomUUID(), e.stream, e.version, e.draft.type, at, actor, JSON.stringify(e.draft.data));
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, 1, $${n + 5}, $${n + 6}, $${n + 7})`;
    });
    const ctes = [
      `events AS (INSERT INTO team_events (id, stream, version, type, v, at, actor, data) VALUES ${rows.join(', ')})`,
    ];
    const seen = new Set<string>();
    const later: typeof events = [];
    for (const e of events) {
      if (seen.has(e.stream)) {
        later.push(e);
        continue;
      }
      seen.add(e.stream);
      const p = projection(e.draft, e.version);
      const offset = values.length;
      values.push(...p.values);
      for (const part of p.parts)
        ctes.push(`p${ctes.length} AS (${part.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`);
    }
    const main = {text: `WITH ${ctes.join(', ')} SELECT 1`, values};
    if (later.length === 0) {
      await this.pool.query(main);
      return;
    }
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(main);
      for (const e of later) {
        const p = projection(e.draft, e.version);
        await client.query(`WITH ${p.parts.map((part, k) => `q${k} AS (${part})`).join(', ')} SELECT 1`, p.values);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
