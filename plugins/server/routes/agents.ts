import {identityOf} from '../../agent/api.js';
import {kebab} from '../../graph/api.js';
import {hashPrefix} from '../pat.js';
import {expiryOf, needAdmin, needPerson} from '../domain/guards.js';
import {stamped, writeNode} from '../domain/nodes.js';
import {issueToken, pickByPrefix, revokeToken, tokenSummary} from '../domain/tokens.js';
import {conflict, forbidden, invalid, notFound} from '../http/errors.js';
import {defineRoute, type Viewer} from '../http/route.js';
import {AGENT_ID, HASH_PREFIX, PERSON_ID, SESSION, line, object, params, str, NO_BODY} from '../http/schemas.js';
import type {TeamReader, TeamTx} from '../store/contract.js';
import type {Attribution, NodeRecord, TeamNode} from '../store/records.js';

const LABEL = {type: 'string', maxLength: 200, pattern: '^[^\\n\\r]*$'};
const PUBKEY = {type: 'string', minLength: 1, maxLength: 200, pattern: '^[!-~]+$'};

/** An agent as listings and creations show it. */
const agentBody = (r: NodeRecord): Record<string, unknown> => ({
  id: r.node.id,
  label: r.node.title,
  owner: r.owner ?? null,
  spiffe: r.node.identity ?? null,
  pubkey: r.node.pubkey ?? null,
  status: r.node.status ?? 'active',
});

/** Creates an agent node owned by `owner`, with its `owned-by` edge (409 when the id is taken). */
const createAgent = async (
  tx: TeamTx,
  input: {label: string; id?: string; pubkey?: string; owner: string},
  by: Attribution,
  now: Date,
): Promise<NodeRecord> => {
  const tail = kebab(input.label);
  if (input.id === undefined && tail === '')
    throw invalid(`cannot make an agent id from label '${input.label}'`, [{field: 'label'}]);
  const id = input.id ?? `agent-${tail}`;
  if (!new RegExp(AGENT_ID).test(id)) throw invalid(`'${id}' is not an agent id (agent-<kebab>)`, [{field: 'id'}]);
  const owner = await tx.node(input.owner);
  if (!owner || owner.node.type !== 'person') throw notFound(`no person '${input.owner}'`);
  const taken = await tx.node(id);
  if (taken) throw conflict(`node '${id}' already exists`, [{id}]);
  const node: TeamNode = {
    id,
    type: 'agent',
    title: input.label.trim(),
    status: 'active',
    identity: identityOf(input.owner, id),
    created: now.toISOString(),
    updated: now.toISOString(),
    edges: [{type: 'owned-by', to: input.owner}],
    ...(input.pubkey === undefined ? {} : {pubkey: input.pubkey}),
  };
  return {...writeNode(tx, undefined, stamped(node, by, now), 'created', by), owner: input.owner};
};

/** The agent `id` when `viewer` owns it: 404 unknown, 403 someone else's. */
const ownedAgent = async (store: TeamReader, viewer: Viewer, id: string): Promise<NodeRecord> => {
  const agent = await store.node(id);
  if (!agent || agent.node.type !== 'agent') throw notFound(`no agent '${id}'`);
  if (agent.owner !== viewer.person) throw forbidden(`agent '${id}' is owned by ${agent.owner ?? 'nobody'}, not you`);
  return agent;
};

const created = (r: NodeRecord): {status: number; body: unknown} => ({
  status: 201,
  body: {...agentBody(r), revision: r.revision},
});

export const agentRoutes = [
  defineRoute<Record<string, never>, Record<string, never>, {all?: string}>({
    name: 'GET /v1/agents',
    schema: {querystring: object({all: {type: 'string', enum: ['0', '1', 'true', 'false']}})},
    handle: async ({viewer, query}, {store, policy}) => {
      const all = query.all === '1' || query.all === 'true';
      if (all) needAdmin(viewer, policy);
      const agents = (await store.nodes('agent')).filter((a) => all || a.owner === viewer.person).map(agentBody);
      return {body: {agents, count: agents.length}};
    },
  }),

  defineRoute<{label: string; id?: string; pubkey?: string}>({
    name: 'POST /v1/agents',
    schema: {body: object({label: line(), id: str({pattern: AGENT_ID}), pubkey: PUBKEY}, ['label'])},
    handle: async ({viewer, body, now}, {store}) => {
      needPerson(viewer);
      return created(await store.transact((tx) => createAgent(tx, {...body, owner: viewer.person}, viewer.by, now)));
    },
  }),

  defineRoute<{label: string; owner?: string; id?: string; pubkey?: string}>({
    name: 'POST /v1/admin/agents',
    schema: {
      body: object({label: line(), owner: str({pattern: PERSON_ID}), id: str({pattern: AGENT_ID}), pubkey: PUBKEY}, [
        'label',
      ]),
    },
    handle: async ({viewer, body, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      const input = {...body, owner: body.owner ?? viewer.person};
      return created(await store.transact((tx) => createAgent(tx, input, viewer.by, now)));
    },
  }),

  defineRoute<
    {session?: string; audience?: string; expires?: string; standing?: boolean; label?: string},
    {id: string}
  >({
    name: 'POST /v1/agents/{id}/token',
    schema: {
      params: params({id: AGENT_ID}),
      body: object({
        session: str({pattern: SESSION}),
        audience: line(),
        expires: str({minLength: 1, maxLength: 40}),
        standing: {type: 'boolean'},
        label: LABEL,
      }),
    },
    handle: async ({viewer, params: {id}, body, now}, {store, policy}) => {
      needPerson(viewer);
      if (body.standing && body.session !== undefined)
        throw invalid('a standing agent token carries no session', [{field: 'session'}]);
      const cap = body.standing ? policy.patMaxMs : policy.sessionTokenMaxMs;
      const expires = expiryOf(body.expires, now, cap);
      const {token, record, agent} = await store.transact(async (tx) => {
        const agent = await ownedAgent(tx, viewer, id);
        const issued = issueToken(
          tx,
          {
            kind: 'agent',
            agent: id,
            standing: body.standing === true,
            session: body.session ?? null,
            ...(body.label === undefined ? {} : {label: body.label}),
            expires,
            issuedBy: viewer.person,
          },
          now,
        );
        return {...issued, agent};
      });
      if (body.standing)
        return {
          status: 201,
          body: {
            token,
            hash_prefix: hashPrefix(record.hash),
            agent: id,
            owner: agent.owner ?? null,
            label: record.label ?? null,
            expires: record.expires,
            standing: true,
          },
        };
      return {status: 201, body: {token, expires_at: record.expires, agent: id, session: record.session}};
    },
  }),

  defineRoute<Record<string, never>, {id: string}>({
    name: 'GET /v1/agents/{id}/tokens',
    schema: {params: params({id: AGENT_ID}), querystring: object({})},
    handle: async ({viewer, params: {id}, now}, {store}) => {
      needPerson(viewer);
      await ownedAgent(store, viewer, id);
      const tokens = (await store.tokens({agent: id}))
        .filter((t) => t.standing && t.revoked === undefined)
        .map((t) => tokenSummary(t, now));
      return {body: {tokens, count: tokens.length}};
    },
  }),

  defineRoute<Record<string, never>, {id: string; prefix: string}>({
    name: 'DELETE /v1/agents/{id}/tokens/{prefix}',
    schema: {params: params({id: AGENT_ID, prefix: HASH_PREFIX}), body: NO_BODY},
    handle: async ({viewer, params: {id, prefix}, now}, {store}) => {
      needPerson(viewer);
      const revoked = await store.transact(async (tx) => {
        await ownedAgent(tx, viewer, id);
        const standing = (await tx.tokens({agent: id, prefix})).filter((t) => t.standing);
        const t = pickByPrefix(standing, prefix);
        revokeToken(tx, t, viewer.person, now);
        return t;
      });
      return {body: {revoked: true, hash_prefix: hashPrefix(revoked.hash), oauth_grants_revoked: 0}};
    },
  }),

  defineRoute<{session: string}>({
    name: 'POST /v1/agents/session',
    schema: {body: object({session: str({pattern: SESSION})}, ['session'])},
    handle: async ({viewer, body, now}, {store}) => {
      const token = viewer.token;
      if (viewer.kind !== 'agent' || !token) throw forbidden('only an agent token can bind its session');
      const outcome = await store.transact(async (tx) => {
        const current = await tx.token(token.hash);
        if (!current) throw notFound('the token is gone');
        if (current.session === body.session) return 'unchanged';
        if (current.session !== null)
          throw conflict(`this token is bound to session '${current.session}' already`, [{session: current.session}]);
        tx.append(`token/${current.hash}`, current.version, [
          {type: 'team-token-bound', data: {hash: current.hash, session: body.session, at: now.toISOString()}},
        ]);
        return 'bound';
      });
      return {
        body: {
          ok: true,
          agent: viewer.agent,
          session: body.session,
          ...(outcome === 'unchanged' ? {unchanged: true} : {}),
        },
      };
    },
  }),
];
