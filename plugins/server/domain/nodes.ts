import {hash} from 'node:crypto';
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

/** Stamps who wrote the node (from the token, never the payload; §1 of the contract). */
export const stamped = (node: TeamNode, by: Attribution, now: Date): TeamNode => {
  // Rest and spread rather than `delete`: a deleted key turns the object into a slow dictionary,
  // and this document is serialized twice (revision, log) and kept in memory.
  const {authored_by_agent: _agent, session: _session, ...rest} = node;
  return {
    ...rest,
    updated: now.toISOString(),
    author: by.author,
    authored_via: by.via,
    ...(by.agent === undefined ? {} : {authored_by_agent: by.agent}),
    ...(by.session === undefined ? {} : {session: by.session}),
  };
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
