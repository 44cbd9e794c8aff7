import {RefusalError} from '../../../core/index.js';
import type {ServerPolicy} from '../http/route.js';
import type {TeamStore} from '../store/contract.js';
import type {Attribution} from '../store/records.js';
import {stewardsRoot} from '../http/auth.js';
import {createPerson, grantAdmin, personIdFor} from './people.js';
import {issueToken} from './tokens.js';

/**
 * `spor serve --init-admin`: the first person, a `stewards` edge to the graph root, and a PAT for
 * them (returned once, to print). Refused when the server has an admin already.
 */
export const initAdmin = async (
  store: TeamStore,
  input: {name: string; email: string},
  policy: ServerPolicy,
  now: Date,
): Promise<{person: string; token: string; expires: string}> =>
  store.transact(async (tx) => {
    const people = await tx.nodes('person');
    const admin = people.find((p) => stewardsRoot(p, policy.rootId));
    if (admin)
      throw new RefusalError(`this server has an admin already (${admin.node.id})`, {
        code: 'E_SERVE_ADMIN_EXISTS',
        hint: 'an admin adds people with POST /v1/admin/people and mints their tokens with POST /v1/admin/tokens',
      });
    const id = personIdFor(input.email);
    const by: Attribution = {author: id, via: 'rest'};
    const existing = people.find((p) => p.node.id === id);
    const person = existing ?? (await createPerson(tx, {id, name: input.name, email: input.email}, by, now));
    await grantAdmin(tx, person, policy.rootId, policy.org, by, now);
    const {token, record} = issueToken(
      tx,
      {
        kind: 'person',
        person: id,
        standing: true,
        session: null,
        label: 'init-admin',
        expires: new Date(now.getTime() + policy.patMaxMs),
        issuedBy: id,
      },
      now,
    );
    return {person: id, token, expires: record.expires};
  });
