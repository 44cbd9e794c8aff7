import {hashPrefix} from '../pat.js';
import {needAdmin, needPerson, expiryOf} from '../domain/guards.js';
import {activeTokensOf, issueToken, isExpired, pickByPrefix, revokeToken, tokenSummary} from '../domain/tokens.js';
import {createPerson, personIdFor} from '../domain/people.js';
import {stewardsRoot} from '../http/auth.js';
import {forbidden, invalid, notFound} from '../http/errors.js';
import {defineRoute} from '../http/route.js';
import {HASH_PREFIX, PERSON_ID, line, object, params, str, strings, NO_BODY} from '../http/schemas.js';
import type {NodeRecord, TokenRecord} from '../store/records.js';

const EXPIRES = str({minLength: 1, maxLength: 40});
const LABEL = {type: 'string', maxLength: 200, pattern: '^[^\\n\\r]*$'};
const ROLE = '^[a-z0-9][a-z0-9-]{0,63}$';

/** The person fields listings show next to a token. */
const personFields = (person: NodeRecord | undefined): {name: string | null; email: string | null} => ({
  name: person?.node.title ?? null,
  email: person?.node.email ?? null,
});

export const identityRoutes = [
  defineRoute({
    name: 'GET /v1/health',
    public: true,
    schema: {querystring: object({})},
    handle: async (_req, {started}) => ({body: {ok: true, since: started.toISOString()}}),
  }),

  defineRoute({
    name: 'GET /v1/me',
    schema: {querystring: object({})},
    handle: async ({viewer}, {policy}) => ({
      body: {
        person: viewer.person,
        name: viewer.name,
        email: viewer.email ?? null,
        bound: true,
        is_admin: viewer.isAdmin,
        org: policy.org,
        ...(viewer.agent ? {agent: viewer.agent, session: viewer.session} : {}),
      },
    }),
  }),

  defineRoute({
    name: 'GET /v1/me/tokens',
    schema: {querystring: object({})},
    handle: async ({viewer, now}, {store}) => {
      needPerson(viewer);
      const mine = (await store.tokens({person: viewer.person})).filter(
        (t) => t.kind === 'person' && t.revoked === undefined,
      );
      const tokens = mine.map((t) => ({
        ...tokenSummary(t, now),
        person: viewer.person,
        name: viewer.name,
        email: viewer.email ?? null,
      }));
      return {body: {tokens, count: tokens.length}};
    },
  }),

  defineRoute<{expires?: string; label?: string}>({
    name: 'POST /v1/me/tokens',
    schema: {body: object({expires: EXPIRES, label: LABEL})},
    handle: async ({viewer, body, now}, {store, policy}) => {
      needPerson(viewer);
      const expires = expiryOf(body.expires, now, policy.patMaxMs);
      const {token, record} = await store.transact(async (tx) =>
        issueToken(
          tx,
          {
            kind: 'person',
            person: viewer.person,
            standing: true,
            session: null,
            ...(body.label === undefined ? {} : {label: body.label}),
            expires,
            issuedBy: viewer.person,
          },
          now,
        ),
      );
      return {
        status: 201,
        body: {
          token,
          hash_prefix: hashPrefix(record.hash),
          person: viewer.person,
          name: viewer.name,
          email: viewer.email ?? null,
          label: record.label ?? null,
          expires: record.expires,
        },
      };
    },
  }),

  defineRoute<Record<string, never>, {prefix: string}>({
    name: 'DELETE /v1/me/tokens/{prefix}',
    schema: {params: params({prefix: HASH_PREFIX}), body: NO_BODY},
    handle: async ({viewer, params: {prefix}, now}, {store}) => {
      needPerson(viewer);
      const revoked = await store.transact(async (tx) => {
        const mine = (await tx.tokens({person: viewer.person, prefix})).filter((t) => t.kind === 'person');
        const t = pickByPrefix(mine, prefix);
        revokeToken(tx, t, viewer.person, now);
        return t;
      });
      return {body: {revoked: true, hash_prefix: hashPrefix(revoked.hash), oauth_grants_revoked: 0}};
    },
  }),

  defineRoute({
    name: 'GET /v1/admin/people',
    schema: {querystring: object({})},
    handle: async ({viewer, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      const people = await Promise.all(
        (await store.nodes('person')).map(async (p) => {
          const tokens = (await store.tokens({person: p.node.id})).filter((t) => t.kind === 'person');
          const used = tokens.map((t) => t.last_used).filter((u): u is string => u !== undefined);
          return {
            id: p.node.id,
            name: p.node.title,
            email: p.node.email ?? null,
            roles: p.node.roles ?? [],
            is_admin: stewardsRoot(p, policy.rootId),
            status: p.node.status ?? 'active',
            tokens: tokens.length,
            active_tokens: tokens.filter((t) => t.revoked === undefined && !isExpired(t, now)).length,
            last_used: used.sort().at(-1) ?? null,
          };
        }),
      );
      return {body: {people, count: people.length}};
    },
  }),

  defineRoute<{
    name: string;
    email: string;
    id?: string;
    roles?: Array<string>;
    invite?: boolean;
    connection_id?: string;
    org?: string;
  }>({
    name: 'POST /v1/admin/people',
    schema: {
      body: object(
        {
          name: line(),
          email: {...line(), pattern: '^[^\\s@]+@[^\\s@]+$'},
          id: str({pattern: PERSON_ID}),
          roles: strings({type: 'string', pattern: ROLE}, 20),
          invite: {type: 'boolean'},
          connection_id: line(),
          org: line(),
        },
        ['name', 'email'],
      ),
    },
    handle: async ({viewer, body, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      if (body.org !== undefined && body.org !== policy.org)
        throw forbidden(`this server is bound to org '${policy.org}'`);
      const id = body.id ?? personIdFor(body.email);
      const record = await store.transact((tx) =>
        createPerson(
          tx,
          {id, name: body.name, email: body.email, ...(body.roles ? {roles: [...new Set(body.roles)]} : {})},
          viewer.by,
          now,
        ),
      );
      return {
        status: 201,
        body: {
          id,
          name: body.name,
          email: body.email,
          roles: record.node.roles ?? [],
          revision: record.revision,
          ...(body.invite
            ? {org_invitation: {status: 'failed', reason: 'this server has no identity provider to send invitations'}}
            : {}),
        },
      };
    },
  }),

  defineRoute<Record<string, never>, {id: string}>({
    name: 'DELETE /v1/admin/people/{id}',
    schema: {params: params({id: PERSON_ID}), body: NO_BODY},
    handle: async ({viewer, params: {id}, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      if (id === viewer.person) throw invalid('you cannot offboard yourself', [{id}]);
      const revoked = await store.transact(async (tx) => {
        const person = await tx.node(id);
        if (!person || person.node.type !== 'person') throw notFound(`no person '${id}'`);
        // Its PATs, and the tokens of the agents it owns (which act on its behalf).
        const agents = (await tx.nodes('agent')).filter((a) => a.owner === id).map((a) => a.node.id);
        const tokens: Array<TokenRecord> = [
          ...(await activeTokensOf(tx, {person: id}, now)),
          ...(await Promise.all(agents.map((agent) => activeTokensOf(tx, {agent}, now)))).flat(),
        ];
        for (const t of tokens) revokeToken(tx, t, viewer.person, now);
        return tokens.length;
      });
      return {body: {offboarded: id, tokens_revoked: revoked, oauth_grants_revoked: 0}};
    },
  }),

  defineRoute({
    name: 'GET /v1/admin/tokens',
    schema: {querystring: object({})},
    handle: async ({viewer, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      const all = (await store.tokens({})).filter((t) => t.revoked === undefined && t.standing);
      const people = new Map<string, NodeRecord | undefined>();
      const personOf = async (t: TokenRecord): Promise<NodeRecord | undefined> => {
        const id = t.person ?? (t.agent === undefined ? undefined : (await store.node(t.agent))?.owner);
        if (id === undefined) return undefined;
        if (!people.has(id)) people.set(id, await store.node(id));
        return people.get(id);
      };
      const tokens = await Promise.all(
        all.map(async (t) => {
          const person = await personOf(t);
          return {...tokenSummary(t, now), person: person?.node.id ?? null, ...personFields(person)};
        }),
      );
      return {body: {tokens, count: tokens.length}};
    },
  }),

  defineRoute<{person: string; expires?: string; label?: string}>({
    name: 'POST /v1/admin/tokens',
    schema: {body: object({person: str({pattern: PERSON_ID}), expires: EXPIRES, label: LABEL}, ['person'])},
    handle: async ({viewer, body, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      const expires = expiryOf(body.expires, now, policy.patMaxMs);
      const {token, record, person} = await store.transact(async (tx) => {
        const person = await tx.node(body.person);
        if (!person || person.node.type !== 'person')
          throw notFound(`no person '${body.person}' (create it first: POST /v1/admin/people)`);
        const issued = issueToken(
          tx,
          {
            kind: 'person',
            person: body.person,
            standing: true,
            session: null,
            ...(body.label === undefined ? {} : {label: body.label}),
            expires,
            issuedBy: viewer.person,
          },
          now,
        );
        return {...issued, person};
      });
      return {
        status: 201,
        body: {
          token,
          hash_prefix: hashPrefix(record.hash),
          person: body.person,
          ...personFields(person),
          expires: record.expires,
        },
      };
    },
  }),

  defineRoute<Record<string, never>, {prefix: string}>({
    name: 'DELETE /v1/admin/tokens/{prefix}',
    schema: {params: params({prefix: HASH_PREFIX}), body: NO_BODY},
    handle: async ({viewer, params: {prefix}, now}, {store, policy}) => {
      needAdmin(viewer, policy);
      const revoked = await store.transact(async (tx) => {
        const t = pickByPrefix(await tx.tokens({prefix}), prefix);
        revokeToken(tx, t, viewer.person, now);
        return t;
      });
      return {body: {revoked: true, hash_prefix: hashPrefix(revoked.hash)}};
    },
  }),
];
