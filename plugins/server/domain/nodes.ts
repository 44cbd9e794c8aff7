import {hash} from 'node:crypto';
import {iso} from '../duration.js';
import type {NodeOp} from '../events.js';
import type {TeamTx} from '../store/contract.js';
import type {Attribution, NodeRecord, TeamNode} from '../store/records.js';

/**
 * A node's revision: the git blob SHA of its JSON document, so a client can tell the version it
 * read from the one it would overwrite (the contract's `revision`). One-shot hashing: every
 * write computes one, and a Hash object per call cost more than the digest.
 */
export const revisionOf = (node: TeamNode): string => {
  const json = JSON.stringify(node);
  return hash('sha1', `blob ${Buffer.byteLength(json)}\0${json}`);
};

/**
 * Stamps who wrote the node (from the token, never the payload; §1 of the contract), with `edges`
 * in place of its own when given. One pass over the document: it is built on every write, and a
 * rest-and-spread copy (or `delete`, which makes the object a slow dictionary) cost several times
 * more. The keys keep their order, so the revision of an unchanged document does not move.
 */
export const stamped = (node: TeamNode, by: Attribution, now: Date, edges = node.edges): TeamNode => {
  const fields = node as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields))
    if (key !== 'authored_by_agent' && key !== 'session') out[key] = key === 'edges' ? edges : fields[key];
  out.updated = iso(now);
  out.author = by.author;
  out.authored_via = by.via;
  if (by.agent !== undefined) out.authored_by_agent = by.agent;
  if (by.session !== undefined) out.session = by.session;
  return out as unknown as TeamNode;
};

/**
 * Appends the node's new document to its stream, decided against `before` (undefined: the node
 * is new). Returns the record as it will read once committed.
 */
export const writeNode = (
  tx: TeamTx,
  before: NodeRecord | undefined,
  node: TeamNode,
  op: NodeOp,
  by: Attribution,
): NodeRecord => {
  const revision = revisionOf(node);
  tx.append(`node/${node.id}`, before?.version ?? 0, [{type: 'team-node-written', data: {node, revision, op, by}}]);
  return {node, revision, version: (before?.version ?? 0) + 1};
};

/** The document as the API returns it: the node's fields, its edges and revision. */
export const nodeBody = (record: NodeRecord): Record<string, unknown> => ({...record.node, revision: record.revision});
