import type {ServerPolicy, Viewer} from '../http/route.js';
import {ApiError, notFound} from '../http/errors.js';
import type {TeamTx} from '../store/contract.js';
import type {LeaseRecord, NodeRecord} from '../store/records.js';
import {iso} from '../duration.js';
import {stamped, writeNode} from './nodes.js';

type Holder = NonNullable<LeaseRecord['holder']>;

/** A lease as the API shows it (`expires` in epoch milliseconds, `expires_at` ISO). */
export const leaseBody = (node: string, fence: number, h: Holder): Record<string, unknown> => ({
  node_id: node,
  by: h.person,
  ...(h.agent ? {agent: h.agent} : {}),
  session: h.session ?? null,
  claimed_at: h.claimed_at,
  expires: Date.parse(h.expires_at),
  expires_at: h.expires_at,
  fence,
});

/** The holder, while its lease runs: a lease is live until the instant it expires, not at it. */
export const liveHolder = (lease: LeaseRecord | undefined, now: Date): Holder | undefined =>
  lease?.holder && Date.parse(lease.holder.expires_at) > now.getTime() ? lease.holder : undefined;

const holderName = (h: Holder): string => (h.agent ? `${h.agent} (for ${h.person})` : h.person);

/** 409 naming who holds the node and until when. */
const held = (node: string, h: Holder, code = 'conflict'): ApiError =>
  new ApiError(409, code, `${node} is claimed by ${holderName(h)} until ${h.expires_at}`, [
    {holder: h.person, ...(h.agent ? {agent: h.agent} : {}), expires_at: h.expires_at},
  ]);

const needNode = async (tx: TeamTx, id: string): Promise<NodeRecord> => {
  const node = await tx.node(id);
  if (!node) throw notFound(`no node '${id}'`);
  return node;
};

/** Who an `assigned` edge names for this viewer: the agent acting, else the person. */
const subjectOf = (v: Viewer): string => v.agent ?? v.person;

/**
 * Rewrites the node's `assigned` edges: drops those to `drop`, adds one to `add`. Returns whether
 * anything changed (then the node was written).
 */
const reassign = (
  tx: TeamTx,
  record: NodeRecord,
  drop: ReadonlyArray<string>,
  add: string | undefined,
  viewer: Viewer,
  now: Date,
  op: 'claimed' | 'released',
): boolean => {
  const kept = record.node.edges.filter((e) => !(e.type === 'assigned' && drop.includes(e.to) && e.to !== add));
  const has = kept.some((e) => e.type === 'assigned' && e.to === add);
  const edges = add !== undefined && !has ? [...kept, {type: 'assigned', to: add}] : kept;
  if (edges.length === record.node.edges.length && (add === undefined || has)) return false;
  writeNode(tx, record, stamped(record.node, viewer.by, now, edges), op, viewer.by);
  return true;
};

export interface LeaseOutcome {
  status: string;
  lease: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Takes the heartbeat lease: a live lease held by another person is a 409 naming them; the caller's
 * own live lease is renewed; otherwise a new lease with the next fencing number, and the durable
 * `assigned` edge (written once; a lapsed holder's edge is retired).
 */
export const claim = async (
  tx: TeamTx,
  viewer: Viewer,
  id: string,
  session: string | undefined,
  now: Date,
  policy: ServerPolicy,
): Promise<LeaseOutcome> => {
  // Asked together: a store that batches reads answers both in one round trip each.
  const [node, lease] = await Promise.all([needNode(tx, id), tx.lease(id)]);
  const live = liveHolder(lease, now);
  if (live && live.person !== viewer.person) throw held(id, live);
  if (live && lease) return renewLive(tx, lease, live, session, now, policy, 'renewed');
  const fence = (lease?.fence ?? 0) + 1;
  const holder: Holder = {
    person: viewer.person,
    ...(viewer.agent ? {agent: viewer.agent} : {}),
    ...(session ? {session} : {}),
    claimed_at: iso(now),
    expires_at: iso(now.getTime() + policy.claimTtlMs),
  };
  tx.append(`lease/${id}`, lease?.version ?? 0, [{type: 'team-lease-claimed', data: {node: id, fence, ...holder}}]);
  const lapsed = lease?.holder ? [lease.holder.agent ?? lease.holder.person] : [];
  const written = reassign(tx, node, lapsed, subjectOf(viewer), viewer, now, 'claimed');
  return {
    ok: true,
    status: 'claimed',
    lease: leaseBody(id, fence, holder),
    edge: {from: id, type: 'assigned', to: subjectOf(viewer), written},
  };
};

const renewLive = (
  tx: TeamTx,
  lease: LeaseRecord,
  h: Holder,
  session: string | undefined,
  now: Date,
  policy: ServerPolicy,
  status: string,
): LeaseOutcome => {
  // Never shortens: a lease stretched by `extend` keeps its end.
  const expires = Math.max(Date.parse(h.expires_at), now.getTime() + policy.claimTtlMs);
  const next: Holder = {...h, expires_at: iso(expires), ...(session ? {session} : {})};
  tx.append(`lease/${lease.node}`, lease.version, [
    {
      type: 'team-lease-renewed',
      data: {node: lease.node, expires_at: next.expires_at, at: iso(now), ...(session ? {session} : {})},
    },
  ]);
  return {ok: true, status, lease: leaseBody(lease.node, lease.fence, next)};
};

/** The heartbeat: bumps the caller's live lease. Lapsed or someone else's is a 409 naming the holder. */
export const renew = async (
  tx: TeamTx,
  viewer: Viewer,
  id: string,
  session: string | undefined,
  now: Date,
  policy: ServerPolicy,
): Promise<LeaseOutcome> => {
  const [, lease] = await Promise.all([needNode(tx, id), tx.lease(id)]);
  const live = liveHolder(lease, now);
  if (live && live.person !== viewer.person) throw held(id, live);
  if (!live || !lease) throw lapsedError(id, lease, 'lease_expired');
  return renewLive(tx, lease, live, session, now, policy, 'renewed');
};

const lapsedError = (id: string, lease: LeaseRecord | undefined, code: string): ApiError =>
  lease?.holder
    ? new ApiError(409, code, `the lease on ${id} lapsed at ${lease.holder.expires_at}; claim it again`, [
        {holder: null, expired_at: lease.holder.expires_at},
      ])
    : new ApiError(409, code, `${id} is not claimed; claim it first`, [{holder: null}]);

/**
 * Stretches the caller's live lease by `ms`, never past now + the policy's `claimTtlMaxMs` (then
 * flagged `capped_to_max`) and never shortening it. Lapsed or someone else's: 409 `lease_lost`.
 */
export const extend = async (
  tx: TeamTx,
  viewer: Viewer,
  id: string,
  ms: number,
  session: string | undefined,
  now: Date,
  policy: ServerPolicy,
): Promise<LeaseOutcome> => {
  const [, lease] = await Promise.all([needNode(tx, id), tx.lease(id)]);
  const live = liveHolder(lease, now);
  if (live && live.person !== viewer.person) throw held(id, live, 'lease_lost');
  if (!live || !lease) throw lapsedError(id, lease, 'lease_lost');
  const current = Date.parse(live.expires_at);
  const wanted = current + ms;
  const ceiling = now.getTime() + policy.claimTtlMaxMs;
  const capped = wanted > ceiling;
  const expires = Math.max(current, Math.min(wanted, ceiling));
  const next: Holder = {...live, expires_at: iso(expires), ...(session ? {session} : {})};
  tx.append(`lease/${id}`, lease.version, [
    {
      type: 'team-lease-renewed',
      data: {
        node: id,
        expires_at: next.expires_at,
        at: iso(now),
        extended: true,
        ...(session ? {session} : {}),
      },
    },
  ]);
  return {
    ok: true,
    status: 'extended',
    lease: leaseBody(id, lease.fence, next),
    ...(capped ? {capped_to_max: true, claim_ttl_max_ms: policy.claimTtlMaxMs} : {}),
  };
};

/**
 * Drops the caller's lease and retires their `assigned` edge. Idempotent: nothing to release still
 * succeeds. Someone else's live claim is a 409 naming them.
 */
export const release = async (tx: TeamTx, viewer: Viewer, id: string, now: Date): Promise<Record<string, unknown>> => {
  // Asked together: a store that batches reads answers both in one round trip each.
  const [node, lease] = await Promise.all([needNode(tx, id), tx.lease(id)]);
  const live = liveHolder(lease, now);
  if (live && live.person !== viewer.person) throw held(id, live);
  const mine = lease?.holder && lease.holder.person === viewer.person ? lease.holder : undefined;
  if (lease && mine)
    tx.append(`lease/${id}`, lease.version, [
      {type: 'team-lease-released', data: {node: id, at: iso(now), by: viewer.person}},
    ]);
  const subjects = [viewer.person, ...(viewer.agent ? [viewer.agent] : []), ...(mine?.agent ? [mine.agent] : [])];
  const edgeRemoved = reassign(tx, node, subjects, undefined, viewer, now, 'released');
  return {ok: true, status: mine ? 'released' : 'not_held', released: mine !== undefined, edge_removed: edgeRemoved};
};
