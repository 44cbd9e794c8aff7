import {EVENT_CATALOG, EVENT_STORE, UsageError, resolve, type Clock, type Container} from '../../../core/index.js';
import type {TeamStore} from './contract.js';
import {EmbeddedTeamStore} from './embedded.js';

/** Is `spec` a PostgreSQL connection string? */
export const isPostgres = (spec: string): boolean => /^postgres(ql)?:\/\//.test(spec);

/**
 * Opens the store `spec` names: `embedded` (the default: the event log under SPOR_HOME) or a
 * `postgres://…` URL (`?schema=<name>` keeps the server's tables in that schema). PostgreSQL
 * migrations are applied on open, idempotently.
 */
export const openStore = async (spec: string | undefined, container: Container, clock: Clock): Promise<TeamStore> => {
  if (spec === undefined || spec === '' || spec === 'embedded')
    return new EmbeddedTeamStore(resolve(container, EVENT_STORE), resolve(container, EVENT_CATALOG));
  if (isPostgres(spec)) {
    const {PostgresTeamStore} = await import('./postgres.js');
    return PostgresTeamStore.open(spec, {clock});
  }
  throw new UsageError(`unknown store '${spec}'`, {
    code: 'E_SERVE_STORE',
    hint: 'use --store embedded (the default) or --store postgres://user@host:5432/db',
  });
};
