// Writes as one round trip per batch of transactions. `team_write(txs, at, actor)` appends each
// transaction's events and folds them into the projection tables, every transaction in a
// subtransaction of its own: one whose (stream, version) is taken (it decided against a version
// another writer moved past) is rolled back alone and its index returned, the others commit
// together — one statement, one commit and one WAL flush for many clients. `team_project` is the
// SQL twin of TeamState.apply (store/state.ts): what one event does to the tables.
export const id = '002_group_write';
export const sql = `
CREATE OR REPLACE FUNCTION team_project(ver integer, etype text, d jsonb) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  CASE etype
  WHEN 'team-node-written' THEN
    INSERT INTO team_nodes (id, type, owner, version, revision, doc)
    VALUES (
      d->'node'->>'id',
      d->'node'->>'type',
      CASE WHEN d->'node'->>'type' = 'agent' THEN (
        SELECT e->>'to' FROM jsonb_array_elements(d->'node'->'edges') WITH ORDINALITY AS x(e, n)
         WHERE e->>'type' = 'owned-by' ORDER BY n LIMIT 1)
      END,
      ver, d->>'revision', d->'node')
    ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, owner = EXCLUDED.owner, version = EXCLUDED.version,
      revision = EXCLUDED.revision, doc = EXCLUDED.doc;
    DELETE FROM team_edges WHERE src = d->'node'->>'id';
    INSERT INTO team_edges (src, type, dst)
      SELECT d->'node'->>'id', e->>'type', e->>'to' FROM jsonb_array_elements(d->'node'->'edges') AS e;
  WHEN 'team-token-issued' THEN
    INSERT INTO team_tokens (hash, version, kind, person, agent, standing, session, label, created, expires, issued_by)
    VALUES (d->>'hash', ver, d->>'kind', d->>'person', d->>'agent', (d->>'standing')::boolean, d->>'session',
      d->>'label', d->>'created', d->>'expires', d->>'issued_by');
  WHEN 'team-token-revoked' THEN
    UPDATE team_tokens SET revoked = d->>'at', version = ver WHERE hash = d->>'hash';
  WHEN 'team-token-bound' THEN
    UPDATE team_tokens SET session = d->>'session', version = ver WHERE hash = d->>'hash';
  WHEN 'team-token-used' THEN
    UPDATE team_tokens SET last_used = d->>'at', version = ver WHERE hash = d->>'hash';
  WHEN 'team-lease-claimed' THEN
    INSERT INTO team_leases (node, version, fence, person, agent, session, claimed_at, expires_at)
    VALUES (d->>'node', ver, (d->>'fence')::bigint, d->>'person', d->>'agent', d->>'session', d->>'claimed_at',
      d->>'expires_at')
    ON CONFLICT (node) DO UPDATE SET version = EXCLUDED.version, fence = EXCLUDED.fence, person = EXCLUDED.person,
      agent = EXCLUDED.agent, session = EXCLUDED.session, claimed_at = EXCLUDED.claimed_at,
      expires_at = EXCLUDED.expires_at;
  WHEN 'team-lease-renewed' THEN
    UPDATE team_leases SET expires_at = d->>'expires_at', session = COALESCE(d->>'session', session), version = ver
     WHERE node = d->>'node' AND person IS NOT NULL;
  WHEN 'team-lease-released' THEN
    INSERT INTO team_leases (node, version, fence) VALUES (d->>'node', ver, 0)
    ON CONFLICT (node) DO UPDATE SET version = EXCLUDED.version, person = NULL, agent = NULL, session = NULL,
      claimed_at = NULL, expires_at = NULL;
  WHEN 'team-capabilities-published' THEN
    INSERT INTO team_capabilities (agent, version, capabilities, published_at, last_seen, published_by, session)
    VALUES (d->>'agent', ver, d->'capabilities', d->>'published_at', d->>'last_seen', d->>'published_by',
      d->>'session')
    ON CONFLICT (agent) DO UPDATE SET version = EXCLUDED.version, capabilities = EXCLUDED.capabilities,
      published_at = EXCLUDED.published_at, last_seen = EXCLUDED.last_seen, published_by = EXCLUDED.published_by,
      session = EXCLUDED.session;
  WHEN 'team-agent-seen' THEN
    UPDATE team_capabilities SET last_seen = d->>'at', version = ver WHERE agent = d->>'agent';
  ELSE
    RAISE EXCEPTION 'no projection for a % event', etype;
  END CASE;
END
$fn$;

-- txs: [[{id, stream, version, type, data}, …], …]; returns the indexes of the transactions that
-- lost a race (their expected version was taken, or they were caught in a deadlock) and wrote
-- nothing.
CREATE OR REPLACE FUNCTION team_write(txs jsonb, w_at text, w_actor text) RETURNS integer[]
LANGUAGE plpgsql AS $fn$
DECLARE
  lost integer[] := '{}';
  i integer;
  ev jsonb;
  what text;
BEGIN
  FOR i IN 0 .. jsonb_array_length(txs) - 1 LOOP
    BEGIN
      FOR ev IN SELECT value FROM jsonb_array_elements(txs->i) WITH ORDINALITY ORDER BY ordinality LOOP
        INSERT INTO team_events (id, stream, version, type, v, at, actor, data)
        VALUES (ev->>'id', ev->>'stream', (ev->>'version')::integer, ev->>'type', 1, w_at, w_actor, ev->'data');
        PERFORM team_project((ev->>'version')::integer, ev->>'type', ev->'data');
      END LOOP;
    EXCEPTION
      WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS what = CONSTRAINT_NAME;
        IF what IS DISTINCT FROM 'team_events_stream_version' THEN
          RAISE;
        END IF;
        lost := lost || i;
      -- Two batches in flight (of this server or another) may wait on each other's rows; the one
      -- PostgreSQL picks gives up this transaction alone (its locks go with its subtransaction)
      -- and it runs again, as a lost race does.
      WHEN deadlock_detected OR serialization_failure THEN
        lost := lost || i;
    END;
  END LOOP;
  RETURN lost;
END
$fn$;
`;
