import {hashPat, isPlausiblePat} from '../pat.js';
import type {TeamReader} from '../store/contract.js';
import type {Credential, NodeRecord} from '../store/records.js';
import {unauthorized} from './errors.js';
import type {Viewer} from './route.js';

const BEARER = /^Bearer +([!-~]{1,200})$/;

/** Does this person steward the graph root (the one admin distinction)? */
export const stewardsRoot = (person: NodeRecord | undefined, rootId: string): boolean =>
  person?.node.edges.some((e) => e.type === 'stewards' && e.to === rootId) === true;

/**
 * The hash of the token an Authorization header carries, or a 401: a token that is malformed or
 * whose checksum does not match is refused before any lookup. A pure function of the header.
 */
export const bearerHash = (header: string | undefined): string => {
  if (header === undefined || header === '')
    throw unauthorized('a bearer token is required (Authorization: Bearer spor_pat_…)');
  const m = BEARER.exec(header);
  if (!m) throw unauthorized('the Authorization header is not `Bearer <token>`');
  const token = m[1] as string;
  if (!isPlausiblePat(token)) throw unauthorized('the token is malformed');
  return hashPat(token);
};

/**
 * The viewer a credential stands for, or a 401. A known token must be unrevoked, unexpired and
 * resolve to a live person (an agent token: to its agent and the agent's owner, so a deleted agent
 * or owner fails closed). Depends on the credential's records, `now` and the root only.
 */
export const viewerOf = (cred: Credential | undefined, now: Date, rootId: string): Viewer => {
  if (!cred) throw unauthorized('the token is not known to this server');
  if (cred.token.revoked !== undefined) throw unauthorized('the token was revoked');
  if (Date.parse(cred.token.expires) <= now.getTime()) throw unauthorized('the token has expired');
  const person = cred.person;
  if (!person || person.node.type !== 'person') throw unauthorized('the token maps to no person');
  const base = {person: person.node.id, name: person.node.title, token: cred.token};
  const email = person.node.email === undefined ? {} : {email: person.node.email};
  if (cred.token.kind === 'person') {
    return {
      ...base,
      ...email,
      kind: 'person',
      session: null,
      isAdmin: stewardsRoot(person, rootId),
      by: {author: person.node.id, via: 'rest'},
    };
  }
  const agent = cred.agent;
  if (!agent || agent.node.type !== 'agent' || agent.owner !== person.node.id)
    throw unauthorized('the token maps to no agent');
  const session = cred.token.session;
  return {
    ...base,
    ...email,
    kind: 'agent',
    agent: agent.node.id,
    session,
    // Admin routes take a person's own token: an agent acting for an admin is not one.
    isAdmin: false,
    by: {author: person.node.id, via: 'dispatch', agent: agent.node.id, ...(session ? {session} : {})},
  };
};

/** The viewer a request's Authorization header names, or a 401 (every check, nothing remembered). */
export const authenticate = async (
  header: string | undefined,
  store: TeamReader,
  now: Date,
  rootId: string,
): Promise<Viewer> => viewerOf(await store.credential(bearerHash(header)), now, rootId);
