import {hashPat, hashPrefix, newPat} from '../pat.js';
import type {TeamReader, TeamStore, TeamTx} from '../store/contract.js';
import type {TokenRecord} from '../store/records.js';
import {conflict, notFound} from '../http/errors.js';

export interface NewToken {
  kind: 'person' | 'agent';
  person?: string;
  agent?: string;
  standing: boolean;
  session: string | null;
  label?: string;
  expires: Date;
  issuedBy: string;
}

/**
 * Issues a token: the plaintext is returned to show once; only its SHA-256 goes into the event.
 */
export const issueToken = (tx: TeamTx, t: NewToken, now: Date): {token: string; record: TokenRecord} => {
  const token = newPat();
  const hash = hashPat(token);
  const data = {
    hash,
    kind: t.kind,
    ...(t.person === undefined ? {} : {person: t.person}),
    ...(t.agent === undefined ? {} : {agent: t.agent}),
    standing: t.standing,
    session: t.session,
    ...(t.label === undefined ? {} : {label: t.label}),
    created: now.toISOString(),
    expires: t.expires.toISOString(),
    issued_by: t.issuedBy,
  };
  tx.append(`token/${hash}`, 0, [{type: 'team-token-issued', data}]);
  return {token, record: {...data, version: 1}};
};

export const isExpired = (t: TokenRecord, now: Date): boolean => Date.parse(t.expires) <= now.getTime();
export const isActive = (t: TokenRecord, now: Date): boolean => t.revoked === undefined && !isExpired(t, now);

/** A token as listings show it: never the plaintext, never the whole hash. */
export const tokenSummary = (t: TokenRecord, now: Date): Record<string, unknown> => ({
  hash_prefix: hashPrefix(t.hash),
  ...(t.person === undefined ? {} : {person: t.person}),
  ...(t.agent === undefined ? {} : {agent: t.agent}),
  label: t.label ?? null,
  standing: t.standing,
  created: t.created,
  expires: t.expires,
  expired: isExpired(t, now),
  last_used: t.last_used ?? null,
});

/**
 * The one unrevoked token among `candidates` whose hash starts with `prefix`: 404 when none, 409
 * when the prefix names several (say more of it).
 */
export const pickByPrefix = (candidates: ReadonlyArray<TokenRecord>, prefix: string): TokenRecord => {
  const live = candidates.filter((t) => t.revoked === undefined && t.hash.startsWith(prefix));
  if (live.length === 0) throw notFound(`no token with hash prefix '${prefix}'`);
  if (live.length > 1)
    throw conflict(`hash prefix '${prefix}' names ${live.length} tokens; give more of it`, [
      {matches: live.map((t) => hashPrefix(t.hash))},
    ]);
  return live[0] as TokenRecord;
};

export const revokeToken = (tx: TeamTx, t: TokenRecord, by: string, now: Date): void => {
  tx.append(`token/${t.hash}`, t.version, [
    {type: 'team-token-revoked', data: {hash: t.hash, at: now.toISOString(), by}},
  ]);
};

/** Tokens of a subject that are still good (for counts in listings). */
export const activeTokensOf = async (
  store: TeamReader,
  filter: {person?: string; agent?: string},
  now: Date,
): Promise<Array<TokenRecord>> => (await store.tokens(filter)).filter((t) => isActive(t, now));

/** How stale a token's `last_used` may get before a request records a new one. */
export const TOUCH_EVERY_MS = 10 * 60_000;

/**
 * Records that a token was used, at most every TOUCH_EVERY_MS (a write per request would cost
 * every request a durable append). Nothing is recorded when another request got there first.
 */
export const touchToken = async (store: TeamStore, hash: string, now: Date): Promise<void> => {
  await store.transact(async (tx) => {
    const t = await tx.token(hash);
    if (!t || (t.last_used !== undefined && now.getTime() - Date.parse(t.last_used) < TOUCH_EVERY_MS)) return;
    tx.append(`token/${hash}`, t.version, [{type: 'team-token-used', data: {hash, at: now.toISOString()}}]);
  });
};
