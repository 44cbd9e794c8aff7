import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../../core/index.js';
import type {GraphEdge, GraphNode, NodeFields} from './model.js';

/** A node came into being (by `spor add`, a `create` command, or an import). */
export type NodeAdded = SporEvent<'node-added', 1, {node: GraphNode}>;
/** Fields of a node changed: `set` replaces them, `unset` removes them. */
export type NodeUpdated = SporEvent<
  'node-updated',
  1,
  {id: string; set: Partial<NodeFields>; unset?: Array<keyof NodeFields>}
>;
export type EdgeAdded = SporEvent<'edge-added', 1, {edge: GraphEdge}>;
export type EdgeRemoved = SporEvent<'edge-removed', 1, {from: string; type: string; to: string}>;
export type GraphEvent = NodeAdded | NodeUpdated | EdgeAdded | EdgeRemoved;

declare module '../../../core/events.js' {
  interface SporEventMap {
    'node-added': NodeAdded;
    'node-updated': NodeUpdated;
    'edge-added': EdgeAdded;
    'edge-removed': EdgeRemoved;
  }
}

const isRecord = t.isRecord(t.isUnknown());

export const graphEvents = defineEvents<GraphEvent>({
  'node-added': {
    v: 1,
    data: t.isObject({
      node: t.isObject(
        {id: t.isString(), type: t.isString(), title: t.isString(), created: t.isString()},
        {extra: isRecord},
      ),
    }) as never,
    hookEnv: (d) => ({SPOR_NODE_ID: d.node.id, SPOR_NODE_TYPE: d.node.type}),
    summary: (d) => `${d.node.id} (${d.node.type}) ${d.node.title}`,
  },
  'node-updated': {
    v: 1,
    data: t.isObject({id: t.isString(), set: isRecord, unset: t.isOptional(t.isArray(t.isString()))}) as never,
    hookEnv: (d) => ({SPOR_NODE_ID: d.id}),
    summary: (d) =>
      `${d.id} ${Object.entries(d.set)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .concat((d.unset ?? []).map((k) => `-${k}`))
        .join(' ')}`,
  },
  'edge-added': {
    v: 1,
    data: t.isObject({
      edge: t.isObject({
        from: t.isString(),
        type: t.isString(),
        to: t.isString(),
        attrs: t.isOptional(t.isRecord(t.isString())),
      }),
    }),
    hookEnv: (d) => ({SPOR_EDGE_FROM: d.edge.from, SPOR_EDGE_TYPE: d.edge.type, SPOR_EDGE_TO: d.edge.to}),
    summary: (d) => `${d.edge.from} -${d.edge.type}-> ${d.edge.to}`,
  },
  'edge-removed': {
    v: 1,
    data: t.isObject({from: t.isString(), type: t.isString(), to: t.isString()}),
    hookEnv: (d) => ({SPOR_EDGE_FROM: d.from, SPOR_EDGE_TYPE: d.type, SPOR_EDGE_TO: d.to}),
    summary: (d) => `${d.from} -${d.type}-> ${d.to} removed`,
  },
});
