import {
  inject,
  injectable,
  parseDuration,
  RefusalError,
  type Settings,
  type SporPaths,
  ENV,
  PATHS,
  SETTINGS,
} from '../../core/index.js';
import {createClient, type RemoteClient} from './client.js';
import {connectionOf, type Connection} from './connection.js';
import {TIMEOUT_KEY, type Remote} from './api.js';

/** REMOTE: whether this invocation talks to a team server, and the client that does. */
@injectable()
export class RemoteService implements Remote {
  private conn: Connection | undefined | null = null;

  constructor(
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(SETTINGS) private readonly settings: Settings,
  ) {}

  connection(): Connection | undefined {
    if (this.conn === null) this.conn = connectionOf(this.env, this.paths.home);
    return this.conn;
  }

  async client(): Promise<RemoteClient | undefined> {
    const conn = this.connection();
    return conn === undefined ? undefined : this.clientFor(conn);
  }

  async clientFor(conn: {server: string; token: string}): Promise<RemoteClient> {
    const timeout = String((await this.settings.get(TIMEOUT_KEY)).value);
    return createClient({server: conn.server, token: conn.token, timeoutMs: parseDuration(timeout) ?? 10_000});
  }

  async required(what: string): Promise<RemoteClient> {
    const client = await this.client();
    if (client === undefined)
      throw new RefusalError(`${what} need a team server; this machine is in local mode`, {
        code: 'E_LOCAL_MODE',
        hint: 'log in with `spor login <url> <token>` (or set SPOR_SERVER and SPOR_TOKEN), then run this again',
      });
    return client;
  }
}
