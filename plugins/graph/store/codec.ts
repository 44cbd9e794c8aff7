import type {SliceCodec} from '../../../core/index.js';
import {queueIndexOf} from '../queue/queueIndex.js';
import {GraphSlice, type StoredHead} from './slice.js';
import {IndexedGraph} from '../view/view.js';

/**
 * How the `graph` slice is stored (see GraphSlice), with the queue's time-independent order
 * (queueIndex.ts) beside it: `spor next` on an unchanged graph then reads that order instead of
 * deriving it from every node.
 */
export const graphCodec: SliceCodec<GraphSlice> = {
  encode: (slice) => {
    const {head, parts} = slice.encode();
    parts['derived.queue'] =
      slice.derivedPart('queue')?.toString('utf8') ?? JSON.stringify(queueIndexOf(new IndexedGraph(slice)));
    return {head, parts};
  },
  decode: (head, part) => new GraphSlice(head as StoredHead, part),
};
