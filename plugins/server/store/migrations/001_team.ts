// The team server's tables. Events are the truth (UNIQUE (stream, version) makes an append state
// the version it decided against); the other tables are projections, updated in the same
// transaction as the events they fold. Timestamps are ISO-8601 text (UTC, milliseconds), as the
// API speaks them.
export const id = '001_team';
export const sql = `
CREATE TABLE team_events (
  pos bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  stream text NOT NULL,
  version integer NOT NULL,
  type text NOT NULL,
  v integer NOT NULL,
  at text NOT NULL,
  actor text NOT NULL,
  data jsonb NOT NULL,
  CONSTRAINT team_events_stream_version UNIQUE (stream, version)
);

CREATE TABLE team_nodes (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  type text NOT NULL,
  owner text,
  version integer NOT NULL,
  revision text NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX team_nodes_type ON team_nodes (type, seq);
CREATE INDEX team_nodes_owner ON team_nodes (owner) WHERE owner IS NOT NULL;
-- Each node's outbound edges, as rows (who points at a node: a b-tree lookup; a GIN index over
-- the documents' edges halved the write throughput of claims).
CREATE TABLE team_edges (
  src text NOT NULL,
  type text NOT NULL,
  dst text NOT NULL
);
CREATE INDEX team_edges_src ON team_edges (src);
CREATE INDEX team_edges_dst ON team_edges (dst);

CREATE TABLE team_tokens (
  hash text COLLATE "C" PRIMARY KEY,
  seq bigserial NOT NULL,
  version integer NOT NULL,
  kind text NOT NULL,
  person text,
  agent text,
  standing boolean NOT NULL,
  session text,
  label text,
  created text NOT NULL,
  expires text NOT NULL,
  issued_by text NOT NULL,
  revoked text,
  last_used text
);
CREATE INDEX team_tokens_person ON team_tokens (person) WHERE person IS NOT NULL;
CREATE INDEX team_tokens_agent ON team_tokens (agent) WHERE agent IS NOT NULL;

CREATE TABLE team_leases (
  node text PRIMARY KEY,
  version integer NOT NULL,
  fence bigint NOT NULL,
  person text,
  agent text,
  session text,
  claimed_at text,
  expires_at text
);

CREATE TABLE team_capabilities (
  agent text PRIMARY KEY,
  version integer NOT NULL,
  capabilities jsonb NOT NULL,
  published_at text NOT NULL,
  last_seen text NOT NULL,
  published_by text NOT NULL,
  session text
);
`;
