import {RefusalError, UsageError, type EventDraft, closest} from '../../../core/index.js';
import type {EdgeAdded, EdgeRemoved, NodeAdded, NodeUpdated} from './events.js';
import type {GraphEdge, GraphNode, NodeFields, Priority} from './model.js';
import {edgeKey, type GraphSlice, type NodeMeta} from '../store/projection.js';

/** The node's fields (no text), or undefined. */
export const metaIn = (s: GraphSlice, id: string): NodeMeta | undefined => {
  const i = s.indexOf(id);
  return i === undefined ? undefined : s.metaAt(i);
};

/** Every node of one type (without text), in the order they were added. */
export const nodesOfType = (s: GraphSlice, type: string): Array<NodeMeta> => {
  const found: Array<NodeMeta> = [];
  for (let i = 0; i < s.size; i += 1) if (s.typeAt(i) === type) found.push(s.metaAt(i));
  return found;
};

/** The ids `from` points at through edges of `type`, in the order the edges were added. */
export const targetsOf = (s: GraphSlice, from: string, type: string): Array<string> => {
  const end = s.endpoint(from);
  const pairs = s.pairs(type);
  const found: Array<string> = [];
  if (end !== undefined)
    for (let k = 0; k < pairs.length; k += 2) if (pairs[k] === end) found.push(s.endpointId(pairs[k + 1] as number));
  return found;
};

/** The node, or a refusal naming the closest id that exists (`pending`: nodes this decision adds). */
export const need = (s: GraphSlice, id: string, role = 'node', pending: ReadonlyArray<NodeMeta> = []): NodeMeta => {
  const node = metaIn(s, id) ?? pending.find((p) => p.id === id);
  if (node) return node;
  const guess = closest(
    id,
    Array.from({length: s.size}, (_, i) => s.idAt(i)),
  );
  throw new RefusalError(`no ${role} '${id}'`, {
    code: 'E_NODE_UNKNOWN',
    hint: guess
      ? `did you mean '${guess}'? (spor get ${guess})`
      : 'create it first with `spor add`, or list open work with `spor next`',
  });
};

/** Appends a new node; a taken id is refused, never overwritten. */
export const addNode = (node: GraphNode, s: GraphSlice): Array<EventDraft<NodeAdded>> => {
  const taken = metaIn(s, node.id);
  if (taken) {
    throw new RefusalError(`node '${node.id}' already exists (${taken.type}: ${taken.title})`, {
      code: 'E_NODE_TAKEN',
      hint: `choose another id with --id, or change the existing one (spor get ${node.id})`,
    });
  }
  return [{type: 'node-added', data: {node}}];
};

/** Sets and unsets fields; fields already as asked write nothing. */
export const updateNode = (
  id: string,
  s: GraphSlice,
  set: Partial<NodeFields>,
  unset: Array<keyof NodeFields> = [],
): Array<EventDraft<NodeUpdated>> => {
  const node = need(s, id);
  const changed = Object.fromEntries(
    Object.entries(set).filter(
      ([k, v]) => JSON.stringify((node as unknown as Record<string, unknown>)[k]) !== JSON.stringify(v),
    ),
  );
  const gone = unset.filter((k) => (node as Partial<GraphNode>)[k] !== undefined);
  if (Object.keys(changed).length === 0 && gone.length === 0) return [];
  return [{type: 'node-updated', data: {id, set: changed, ...(gone.length > 0 ? {unset: gone} : {})}}];
};

export const setPriority = (id: string, priority: Priority | 'clear', s: GraphSlice): Array<EventDraft<NodeUpdated>> =>
  priority === 'clear' ? updateNode(id, s, {}, ['priority']) : updateNode(id, s, {priority});

export const setReady = (id: string, clear: boolean, s: GraphSlice): Array<EventDraft<NodeUpdated>> =>
  clear ? updateNode(id, s, {}, ['readiness']) : updateNode(id, s, {readiness: 'agent'});

// What an edge of these types must point at; other edge types may join any two nodes.
const TARGET_TYPES: Partial<Record<string, ReadonlyArray<string>>> = {
  assigned: ['person', 'agent'],
  'owned-by': ['person'],
  'uses-profile': ['profile'],
};

/**
 * Adds (or re-attributes) an edge between two existing nodes (or nodes in `pending`, which the
 * same decision adds); the same edge again writes nothing.
 */
export const addEdge = (
  edge: GraphEdge,
  s: GraphSlice,
  pending: ReadonlyArray<NodeMeta> = [],
): Array<EventDraft<EdgeAdded>> => {
  if (edge.from === edge.to)
    throw new UsageError(`an edge needs two different nodes ('${edge.from}' twice)`, {
      code: 'E_EDGE_SELF',
      hint: 'name the other node as <to>',
    });
  need(s, edge.from, 'node', pending);
  const to = need(s, edge.to, 'node', pending);
  const allowed = TARGET_TYPES[edge.type];
  if (allowed && !allowed.includes(to.type)) {
    throw new RefusalError(`'${edge.type}' must point at a ${allowed.join(' or ')}, and '${to.id}' is a ${to.type}`, {
      code: 'E_EDGE_TARGET',
      hint: `name a ${allowed.join(' or ')} node (spor ${allowed.includes('profile') ? 'profile' : 'person'} create …)`,
    });
  }
  const profile = edge.attrs?.profile;
  if (profile !== undefined && metaIn(s, profile)?.type !== 'profile') {
    throw new RefusalError(`no profile '${profile}'`, {
      code: 'E_NODE_UNKNOWN',
      hint: `create it with \`spor profile create ${profile} --harness <harness>\``,
    });
  }
  const exists = s.hasEdge(edge.from, edge.type, edge.to);
  const attrs = edge.attrs && Object.keys(edge.attrs).length > 0 ? edge.attrs : undefined;
  if (exists && JSON.stringify(s.attrsOf(edgeKey(edge))) === JSON.stringify(attrs)) return [];
  return [
    {type: 'edge-added', data: {edge: {from: edge.from, type: edge.type, to: edge.to, ...(attrs ? {attrs} : {})}}},
  ];
};

/** Removes an edge; one that is not there writes nothing. */
export const removeEdge = (
  edge: {from: string; type: string; to: string},
  s: GraphSlice,
): Array<EventDraft<EdgeRemoved>> => {
  need(s, edge.from);
  return s.hasEdge(edge.from, edge.type, edge.to)
    ? [{type: 'edge-removed', data: {from: edge.from, type: edge.type, to: edge.to}}]
    : [];
};
