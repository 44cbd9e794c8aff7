import {createHash} from 'node:crypto';
import type {TeamTx} from '../store/contract.js';
import type {Attribution, NodeRecord, TeamNode} from '../store/records.js';
import {conflict} from '../http/errors.js';
import {stamped, writeNode} from './nodes.js';

/** The default id of a person: an opaque hash of the e-mail, never the (mutable) display name. */
export const personIdFor = (email: string): string =>
  `person-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 12)}`;

export interface NewPerson {
  id: string;
  name: string;
  email: string;
  roles?: Array<string>;
}

/** Creates a person node (409 when the id is taken). */
export const createPerson = async (tx: TeamTx, p: NewPerson, by: Attribution, now: Date): Promise<NodeRecord> => {
  if (await tx.node(p.id)) throw conflict(`node '${p.id}' already exists`, [{id: p.id}]);
  const node: TeamNode = {
    id: p.id,
    type: 'person',
    title: p.name,
    email: p.email,
    status: 'active',
    created: now.toISOString(),
    updated: now.toISOString(),
    edges: [],
    ...(p.roles && p.roles.length > 0 ? {roles: p.roles} : {}),
  };
  return writeNode(tx, undefined, stamped(node, by, now), 'created', by);
};

/** The graph root (created on first need) and a `stewards` edge to it: makes `person` an admin. */
export const grantAdmin = async (
  tx: TeamTx,
  person: NodeRecord,
  rootId: string,
  org: string,
  by: Attribution,
  now: Date,
): Promise<NodeRecord> => {
  if (!(await tx.node(rootId))) {
    const root: TeamNode = {
      id: rootId,
      type: 'org',
      title: org,
      status: 'active',
      created: now.toISOString(),
      updated: now.toISOString(),
      edges: [],
    };
    writeNode(tx, undefined, stamped(root, by, now), 'created', by);
  }
  if (person.node.edges.some((e) => e.type === 'stewards' && e.to === rootId)) return person;
  const node = stamped(person.node, by, now, [...person.node.edges, {type: 'stewards', to: rootId}]);
  return writeNode(tx, person, node, 'edge-added', by);
};
