import {Command, Option} from 'clipanion';
import {CLOCK, ENV, SETTINGS, SporCommand, UsageError, parseDuration, type SettingValue} from '../../../core/index.js';

export class ServeCommand extends SporCommand {
  static override paths = [['serve']];
  static override usage = Command.Usage({
    description: 'run the team server (the REST API remote-mode clients talk to)',
    details: `
      Serves the Spor REST subset (identity, tokens, agents, the fleet, claims, nodes and the queue) over HTTP
      on 127.0.0.1:7420 by default, from the embedded store (this machine's event log under SPOR_HOME) or
      PostgreSQL (\`--store postgres://user@host:5432/db\`; several servers on one database act as one).
      \`--init-admin "<name>" --email <e>\` first creates the first person, an admin, and prints their token
      once. Requests are logged to stderr as JSON lines (never a token). SIGTERM or SIGINT stops it after the
      requests in flight.
    `,
    examples: [
      ['Start on the default port', '$0 serve'],
      ['Create the first admin, then serve', '$0 serve --init-admin "Ada Lovelace" --email ada@example.com'],
      ['On PostgreSQL', '$0 serve --store postgres://spor@db.internal:5432/spor --port 8080'],
    ],
  });
  port = Option.String('--port', {description: 'port to listen on (default 7420; 0 picks one)'});
  host = Option.String('--host', {description: 'address to listen on (default 127.0.0.1)'});
  store = Option.String('--store', {description: 'embedded (default) or postgres://… (password via PGPASSWORD)'});
  initAdmin = Option.String('--init-admin', {description: 'create the first admin with this name'});
  email = Option.String('--email', {description: "the first admin's e-mail (with --init-admin)"});
  quiet = Option.Boolean('--quiet', false, {description: 'no request log'});

  async execute(): Promise<number> {
    if ((this.initAdmin === undefined) !== (this.email === undefined))
      throw new UsageError('--init-admin and --email go together', {
        code: 'E_USAGE',
        hint: 'spor serve --init-admin "<name>" --email <e-mail>',
      });
    const settings = this.get(SETTINGS);
    const setting = async (key: string, flag?: SettingValue): Promise<SettingValue> =>
      (await settings.get(key, flag === undefined ? {} : {flag})).value;
    const portText = this.port;
    if (portText !== undefined && !/^\d{1,5}$/.test(portText))
      throw new UsageError(`--port must be a number, not '${portText}'`, {code: 'E_USAGE', hint: 'e.g. --port 7420'});
    const port = Number(await setting('serve.port', portText === undefined ? undefined : Number(portText)));
    const host = String(await setting('serve.host', this.host));
    const storeSpec = String(await setting('serve.store', this.store));
    const ttl = parseDuration(String(await setting('serve.claimTtl')));
    const ttlMax = parseDuration(String(await setting('serve.claimTtlMax')));
    const rate = Number(await setting('serve.rateLimit'));
    const env = this.get(ENV);
    const clock = this.get(CLOCK);
    const policy = {
      ...(ttl === undefined ? {} : {claimTtlMs: ttl}),
      ...(ttlMax === undefined ? {} : {claimTtlMaxMs: ttlMax}),
      org: env.SPOR_ORG || env.SUBSTRATE_ORG || 'local',
      rootId: env.SPOR_ROOT_ID || 'org-root',
    };
    // The server and its dependencies (Fastify, pg) load only for this command.
    const [{startServer, DEFAULT_POLICY}, {openStore}, {initAdmin}] = await Promise.all([
      import('../server.js'),
      import('../store/open.js'),
      import('../domain/admin.js'),
    ]);
    const store = await openStore(storeSpec, this.context.container, clock);
    try {
      if (this.initAdmin !== undefined && this.email !== undefined) {
        const admin = await initAdmin(
          store,
          {name: this.initAdmin, email: this.email},
          {...DEFAULT_POLICY, ...policy},
          clock.now(),
        );
        this.out(`created admin ${admin.person}; their token (shown once, keep it secret):`);
        this.out(admin.token);
      }
      const server = await startServer({
        container: this.context.container,
        store,
        clock,
        host,
        port,
        policy,
        limits: {rateLimit: {max: rate, windowMs: 60_000}},
        ...(this.quiet ? {} : {log: this.context.stderr}),
      });
      this.out(`spor serve: listening on ${server.url} (store: ${store.kind})`);
      await new Promise<void>((done) => {
        process.once('SIGTERM', () => done());
        process.once('SIGINT', () => done());
      });
      await server.close();
      this.note('stopped');
      return 0;
    } finally {
      await store.close();
    }
  }
}
