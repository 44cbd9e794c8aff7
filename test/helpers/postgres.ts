import pg from 'pg';

/** The shared PostgreSQL of the project's machines; tests make and drop their own schema in it. */
export const PG_URL = process.env.SPOR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;
/** Whether PostgreSQL answers (CI must have it: `.ci/run` starts it). */
export const postgresReachable = (): Promise<boolean> =>
  (reachable ??= (async () => {
    const client = new pg.Client({connectionString: PG_URL, connectionTimeoutMillis: 2000});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${PG_URL}; CI needs it`);
      process.stderr.write(`note: PostgreSQL is not reachable at ${PG_URL}: its tests are skipped\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })());

/** A uniquely named schema in the shared database, and how to drop it. */
export const pgSchema = (): {url: string; schema: string; drop: () => Promise<void>} => {
  const schema = `spor_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    url,
    schema,
    drop: async () => {
      const client = new pg.Client({connectionString: PG_URL});
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
};
