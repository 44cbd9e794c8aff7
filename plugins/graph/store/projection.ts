import {seqRef, type SporEvent, type Projection, type RecordRef} from '../../../core/index.js';
import type {GraphEvent} from '../model/events.js';
import {graphCodec} from './codec.js';
import {edgeKey} from '../model/model.js';
import {GraphSlice, TEXT_FIELDS, type NodeMeta, type TextRef} from './slice.js';

export {GraphSlice, TEXT_FIELDS, edgeKey};
export type {GraphState} from '../model/model.js';
export type {NodeMeta, NodeText, TextField, TextRef} from './slice.js';

declare module '../../../core/plugin.js' {
  interface SporStateMap {
    graph: GraphSlice;
  }
}

/** Fields every node has: an update may change them but never unset them. */
const REQUIRED = new Set(['id', 'type', 'title', 'created']);
const isTextField = (key: string): boolean => (TEXT_FIELDS as ReadonlyArray<string>).includes(key);

/** The event as a pointer to node text (its record, when the fold was told which). */
const refOf = (event: SporEvent, ref: RecordRef | undefined): TextRef => ref ?? seqRef(event.seq);

// Updated in place: the projector owns the slice, and copying 10,000 nodes per event would make
// an import or a rebuild quadratic. Every `spor next` and `spor brief` reads the slice, so a read
// that folded any graph event writes a fresh snapshot rather than folding it again next time.
export const graphProjection: Projection<GraphSlice> = {
  name: 'graph',
  version: 5,
  on: ['node-added', 'node-updated', 'edge-added', 'edge-removed', 'repo-added'],
  snapshotAfter: 1,
  codec: graphCodec,
  initial: () => new GraphSlice(),
  apply: (state, event: SporEvent, ref?: RecordRef) => {
    const e = event as GraphEvent;
    switch (e.type) {
      case 'node-added': {
        const node = e.data.node;
        state.putNode(node, TEXT_FIELDS.some((f) => node[f] !== undefined) ? [refOf(e, ref)] : []);
        return state;
      }
      case 'node-updated': {
        const i = state.indexOf(e.data.id);
        if (i === undefined) return state;
        const next: Record<string, unknown> = {...state.metaAt(i)};
        let textChanged = false;
        for (const [key, value] of Object.entries(e.data.set)) {
          if (key === 'id' || key === 'created') continue;
          if (isTextField(key)) textChanged = true;
          else next[key] = value;
        }
        for (const key of e.data.unset ?? ([] as Array<string>)) {
          if (isTextField(key)) textChanged = true;
          else if (!REQUIRED.has(key)) delete next[key];
        }
        const refs = state.textRefsAt(i);
        state.putNode(next as unknown as NodeMeta, textChanged ? [...refs, refOf(e, ref)] : refs);
        return state;
      }
      case 'edge-added': {
        const {from, type, to, attrs} = e.data.edge;
        state.addEdge(from, type, to, attrs, edgeKey(e.data.edge));
        return state;
      }
      case 'edge-removed':
        state.removeEdge(e.data.from, e.data.type, e.data.to, edgeKey(e.data));
        return state;
      default:
        // Self-registration: mapping a repo slug (the repos plugin's `repo-added`, read by type
        // name) brings its `repo-<slug>` node into the graph when there is none yet.
        if (event.type === 'repo-added') {
          const slug = (event.data as {slug?: unknown}).slug;
          if (typeof slug === 'string' && state.indexOf(`repo-${slug}`) === undefined) {
            state.putNode({id: `repo-${slug}`, type: 'repo', title: slug, created: event.at}, []);
          }
        }
        return state;
    }
  },
};
