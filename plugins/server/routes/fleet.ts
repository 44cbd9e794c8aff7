import {effectiveOfPublished, satisfies, type PublishedCapabilities} from '../../capabilities/api.js';
import {parseDuration} from '../duration.js';
import {forbidden, invalid, notFound} from '../http/errors.js';
import {defineRoute, type Viewer} from '../http/route.js';
import {AGENT_ID, NODE_ID, object, params, NO_BODY, type JsonSchema} from '../http/schemas.js';
import type {TeamReader} from '../store/contract.js';
import type {CapabilitiesRecord, NodeRecord} from '../store/records.js';

// Harness, MCP server, skill and plugin names as the capabilities plugin accepts them.
const VALUE = {type: 'string', pattern: '^[A-Za-z0-9@][A-Za-z0-9._:@/+-]{0,127}$'};
const values = {type: 'array', items: VALUE, maxItems: 500};
const AXES: Record<string, JsonSchema> = {harnesses: values, reachable_mcp: values, skills: values, plugins: values};
const MAP = object({...AXES, deny: values, probed: object(AXES), declared: object(AXES)});
const PUBLISH = object({...AXES, deny: values, probed: object(AXES), declared: object(AXES), capabilities: MAP});

/** The agent `id`: 404 unknown. */
const agentNode = async (store: TeamReader, id: string): Promise<NodeRecord> => {
  const agent = await store.node(id);
  if (!agent || agent.node.type !== 'agent') throw notFound(`no agent '${id}'`);
  return agent;
};

/** Publishing and heartbeats: the agent's owner, or the agent itself (its own token). */
const mayPublish = (viewer: Viewer, agent: NodeRecord): void => {
  if (viewer.agent === agent.node.id || agent.owner === viewer.person) return;
  throw forbidden(`agent '${agent.node.id}' is not yours`);
};

const recordBody = (r: CapabilitiesRecord): Record<string, unknown> => ({
  agent: r.agent,
  capabilities: r.capabilities,
  published_at: r.published_at,
  last_seen: r.last_seen,
  published_by: r.published_by,
  ...(r.session ? {session: r.session} : {}),
});

const CAP_KEYS = ['harnesses', 'reachable_mcp', 'skills', 'plugins', 'deny'] as const;
// Key by key: a store may hand the map back with its keys in another order (PostgreSQL's jsonb).
const sameCaps = (a: CapabilitiesRecord['capabilities'], b: CapabilitiesRecord['capabilities']): boolean =>
  CAP_KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

type Publish = PublishedCapabilities & {capabilities?: PublishedCapabilities};
type Hosts = {owner?: string; max_age?: string};

export const fleetRoutes = [
  defineRoute<Publish, {id: string}>({
    name: 'POST /v1/agents/{id}/capabilities',
    schema: {params: params({id: AGENT_ID}), body: PUBLISH},
    handle: async ({viewer, params: {id}, body, now}, {store}) => {
      const {capabilities: envelope, ...flat} = body;
      if (envelope !== undefined && Object.keys(flat).length > 0)
        throw invalid('send the map either bare or inside {capabilities: …}, not both', [{field: 'capabilities'}]);
      const capabilities = effectiveOfPublished(envelope ?? flat);
      const at = now.toISOString();
      const by = viewer.agent ?? viewer.person;
      const outcome = await store.transact(async (tx) => {
        const agent = await agentNode(tx, id);
        mayPublish(viewer, agent);
        const before = await tx.capabilities(id);
        const changed = !before || !sameCaps(before.capabilities, capabilities);
        const session = viewer.session ?? undefined;
        const record: CapabilitiesRecord = {
          agent: id,
          capabilities,
          published_at: changed || !before ? at : before.published_at,
          last_seen: at,
          published_by: by,
          ...(session ? {session} : {}),
          version: (before?.version ?? 0) + 1,
        };
        const {version: _version, ...data} = record;
        tx.append(
          `caps/${id}`,
          before?.version ?? 0,
          changed || before?.published_by !== by || before?.session !== record.session
            ? [{type: 'team-capabilities-published', data}]
            : [{type: 'team-agent-seen', data: {agent: id, at}}],
        );
        return {record, changed};
      });
      return {body: {...recordBody(outcome.record), changed: outcome.changed}};
    },
  }),

  defineRoute<Record<string, never>, {id: string}>({
    name: 'GET /v1/agents/{id}/capabilities',
    schema: {params: params({id: AGENT_ID}), querystring: object({})},
    handle: async ({viewer, params: {id}}, {store}) => {
      const agent = await agentNode(store, id);
      if (!(viewer.agent === id || agent.owner === viewer.person || viewer.isAdmin))
        throw forbidden(`agent '${id}' is not yours`);
      const caps = await store.capabilities(id);
      if (!caps) throw notFound(`agent '${id}' has published no capabilities`);
      return {body: recordBody(caps)};
    },
  }),

  defineRoute<Record<string, never>, {id: string}>({
    name: 'POST /v1/agents/{id}/heartbeat',
    schema: {params: params({id: AGENT_ID}), body: NO_BODY},
    handle: async ({viewer, params: {id}, now}, {store}) => {
      const record = await store.transact(async (tx) => {
        const agent = await agentNode(tx, id);
        mayPublish(viewer, agent);
        const caps = await tx.capabilities(id);
        if (!caps) throw notFound(`agent '${id}' has published no capabilities (publish before a heartbeat)`);
        tx.append(`caps/${id}`, caps.version, [{type: 'team-agent-seen', data: {agent: id, at: now.toISOString()}}]);
        return {...caps, last_seen: now.toISOString()};
      });
      return {body: recordBody(record)};
    },
  }),

  defineRoute<Record<string, never>, {id: string}, Hosts>({
    name: 'GET /v1/profiles/{id}/hosts',
    schema: {
      params: params({id: NODE_ID}),
      querystring: object({
        owner: {type: 'string', pattern: '^(me|person-[a-z0-9][a-z0-9-]{0,120})$'},
        max_age: {type: 'string', maxLength: 20},
      }),
    },
    handle: async ({viewer, params: {id}, query, now}, {store}) => {
      const maxAge = query.max_age === undefined ? undefined : parseDuration(query.max_age);
      if (query.max_age !== undefined && maxAge === undefined)
        throw invalid(`max_age '${query.max_age}' is not a duration (30m, 12h, 7d or milliseconds)`, [
          {field: 'max_age'},
        ]);
      const owner = query.owner === undefined || query.owner === 'me' ? viewer.person : query.owner;
      // The whole fleet is an admin's view; a member sees their own machines.
      if (owner !== viewer.person && !viewer.isAdmin) throw forbidden("only an admin may see another person's hosts");
      const scope = query.owner === undefined && viewer.isAdmin ? undefined : owner;
      // Asked together: on PostgreSQL each is a round trip, and the answer waits for both.
      const [profile, hosts] = await Promise.all([store.node(id), store.fleet(scope)]);
      if (!profile || profile.node.type !== 'profile') throw notFound(`no profile '${id}'`);
      const p = profile.node;
      const needs = {
        id,
        ...(p.harness ? {harness: p.harness} : {}),
        mcp: p.mcp ?? [],
        skills: p.skills ?? [],
        plugins: p.plugins ?? [],
      };
      const satisfiable: Array<Record<string, unknown>> = [];
      const unsatisfiable: Array<Record<string, unknown>> = [];
      const fleet = hosts.sort((a, b) => (a.last_seen < b.last_seen ? 1 : -1));
      for (const host of fleet) {
        const ageMs = now.getTime() - Date.parse(host.last_seen);
        const row = {
          agent: host.agent,
          owner: host.owner ?? null,
          published_at: host.published_at,
          last_seen: host.last_seen,
          age_seconds: Math.max(0, Math.floor(ageMs / 1000)),
        };
        const verdict = satisfies(host.capabilities, needs);
        const reasons = [...verdict.reasons];
        if (maxAge !== undefined && ageMs > maxAge)
          reasons.push(`last seen ${Math.floor(ageMs / 1000)}s ago, longer than max_age ${query.max_age}`);
        if (reasons.length === 0) satisfiable.push(row);
        else unsatisfiable.push({...row, reasons});
      }
      return {
        body: {
          profile: id,
          satisfiable,
          unsatisfiable,
          counts: {satisfiable: satisfiable.length, unsatisfiable: unsatisfiable.length, total: fleet.length},
        },
      };
    },
  }),
];
