import type {RemoteClient, CapabilitiesRecordBody, HostsBody} from '../remote/api.js';
import {RemoteError} from '../remote/api.js';
import type {Capabilities} from './effective.js';

// This machine's capabilities on the team server's fleet: publish, read back, find hosts.

const capsPath = (agent: string): string => `/v1/agents/${encodeURIComponent(agent)}/capabilities`;

/** Publishes the effective map for `agent` (the server folds it with the same function). */
export const publishCapabilities = (
  client: RemoteClient,
  agent: string,
  capabilities: Capabilities,
): Promise<CapabilitiesRecordBody> =>
  client.request<CapabilitiesRecordBody>('POST', capsPath(agent), {body: capabilities});

/** An agent's published record, or undefined when it has published none (404). */
export const readPublished = async (
  client: RemoteClient,
  agent: string,
): Promise<CapabilitiesRecordBody | undefined> => {
  try {
    return await client.request<CapabilitiesRecordBody>('GET', capsPath(agent));
  } catch (e) {
    if (
      e instanceof RemoteError &&
      e.status === 404 &&
      e.apiCode === 'not_found' &&
      /published no/.test(e.reason ?? '')
    )
      return undefined;
    throw e;
  }
};

const AXES = ['harnesses', 'reachable_mcp', 'skills', 'plugins', 'deny'] as const;
const same = (a: Capabilities, b: Capabilities): boolean =>
  AXES.every((k) => JSON.stringify([...(a[k] ?? [])].sort()) === JSON.stringify([...(b[k] ?? [])].sort()));

/**
 * Why the record on the server is stale, or undefined when it is fresh: none published, a map
 * that differs from this machine's, or a last contact older than `maxAgeMs`.
 */
export const staleness = (
  record: CapabilitiesRecordBody | undefined,
  mine: Capabilities,
  now: Date,
  maxAgeMs: number,
): string | undefined => {
  if (record === undefined) return 'none published yet';
  if (!same(record.capabilities, mine)) return "this machine's capabilities changed";
  const age = now.getTime() - Date.parse(record.last_seen);
  if (!(age <= maxAgeMs)) return `last published ${Math.round(age / 60_000)} min ago`;
  return undefined;
};

/** `GET /v1/profiles/{id}/hosts`. */
export const hostsFor = (
  client: RemoteClient,
  profile: string,
  query: {owner?: string; max_age?: string} = {},
): Promise<HostsBody> => client.request<HostsBody>('GET', `/v1/profiles/${encodeURIComponent(profile)}/hosts`, {query});

/** The hosts as lines: satisfiable first (freshest first), then the others with their reasons. */
export const hostLines = (h: HostsBody): Array<string> => {
  const age = (s: number): string =>
    s < 120
      ? `${s}s`
      : s < 7200
        ? `${Math.round(s / 60)}m`
        : s < 172_800
          ? `${Math.round(s / 3600)}h`
          : `${Math.round(s / 86_400)}d`;
  return [
    ...h.satisfiable.map((r) => `  ${r.agent}  (${r.owner ?? '-'}, seen ${age(r.age_seconds)} ago)`),
    ...h.unsatisfiable.map(
      (r) => `  ✗ ${r.agent}  (${r.owner ?? '-'}, seen ${age(r.age_seconds)} ago): ${(r.reasons ?? []).join('; ')}`,
    ),
  ];
};
