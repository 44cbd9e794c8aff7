import {claim, extend, release, renew} from '../domain/leases.js';
import {defineRoute} from '../http/route.js';
import {NODE_ID, SESSION, object, params, str, NO_BODY} from '../http/schemas.js';

const SESSION_BODY = object({session: str({pattern: SESSION})});
type Id = {id: string};

export const claimRoutes = [
  defineRoute<{session?: string}, Id>({
    name: 'POST /v1/nodes/{id}/claim',
    schema: {params: params({id: NODE_ID}), body: SESSION_BODY},
    handle: async ({viewer, params: {id}, body, now}, {store, policy}) => ({
      body: await store.transact((tx) => claim(tx, viewer, id, body.session, now, policy)),
    }),
  }),

  defineRoute<{session?: string}, Id>({
    name: 'POST /v1/nodes/{id}/renew',
    schema: {params: params({id: NODE_ID}), body: SESSION_BODY},
    handle: async ({viewer, params: {id}, body, now}, {store, policy}) => ({
      body: await store.transact((tx) => renew(tx, viewer, id, body.session, now, policy)),
    }),
  }),

  defineRoute<{ms: number; session?: string}, Id>({
    name: 'POST /v1/nodes/{id}/extend',
    schema: {
      params: params({id: NODE_ID}),
      body: object(
        {ms: {type: 'integer', minimum: 1, maximum: 366 * 24 * 3_600_000}, session: str({pattern: SESSION})},
        ['ms'],
      ),
    },
    handle: async ({viewer, params: {id}, body, now}, {store, policy}) => ({
      body: await store.transact((tx) => extend(tx, viewer, id, body.ms, body.session, now, policy)),
    }),
  }),

  defineRoute<Record<string, never>, Id>({
    name: 'POST /v1/nodes/{id}/release',
    schema: {params: params({id: NODE_ID}), body: NO_BODY},
    handle: async ({viewer, params: {id}, now}, {store}) => ({
      body: await store.transact((tx) => release(tx, viewer, id, now)),
    }),
  }),
];
