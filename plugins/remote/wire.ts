// The bodies of the Spor API routes the CLI reads (../shared/seed/spor-api-subset.md §3), as typed
// on this side of the wire. Only the fields spor uses are named; servers may send more.

export interface MeBody {
  person: string;
  name: string;
  email: string;
  bound: boolean;
  is_admin: boolean;
  org: string;
  agent?: string;
}

export interface AgentBody {
  id: string;
  label: string;
  owner: string | null;
  spiffe: string | null;
  pubkey: string | null;
  status: string;
}

export interface AgentsBody {
  agents: Array<AgentBody>;
  count: number;
}

/** `POST /v1/agents/{id}/token`, per-session (the default). */
export interface SessionTokenBody {
  token: string;
  expires_at: string;
  agent: string;
  session: string | null;
}

/** `POST /v1/agents/{id}/token` with `standing: true`. */
export interface StandingTokenBody {
  token: string;
  hash_prefix: string;
  agent: string;
  owner: string | null;
  label: string | null;
  expires: string;
  standing: true;
}

export interface TokenSummary {
  hash_prefix: string;
  label?: string | null;
  created: string;
  expires: string | null;
  expired: boolean;
  last_used?: string | null;
}

export interface CapabilitiesMap {
  harnesses: Array<string>;
  reachable_mcp: Array<string>;
  skills: Array<string>;
  plugins: Array<string>;
  deny: Array<string>;
}

export interface CapabilitiesRecordBody {
  agent: string;
  capabilities: CapabilitiesMap;
  published_at: string;
  last_seen: string;
  published_by: string;
  session?: string;
  changed?: boolean;
}

export interface HostRow {
  agent: string;
  owner: string | null;
  published_at: string;
  last_seen: string;
  age_seconds: number;
  reasons?: Array<string>;
}

export interface HostsBody {
  profile: string;
  satisfiable: Array<HostRow>;
  unsatisfiable: Array<HostRow>;
  counts: {satisfiable: number; unsatisfiable: number; total?: number};
}

export interface LeaseBody {
  node_id: string;
  by: string;
  agent?: string;
  session: string | null;
  claimed_at: string;
  expires: number;
  expires_at: string;
  fence?: number;
}

export interface ClaimBody {
  ok: boolean;
  status: string;
  lease: LeaseBody;
  capped_to_max?: boolean;
  claim_ttl_max_ms?: number;
}

export interface ReleaseBody {
  ok: boolean;
  status: string;
  released: boolean;
  edge_removed?: boolean;
}
