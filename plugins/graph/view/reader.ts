import {inject, injectable, type EventStore, type Host, EVENT_STORE, HOST} from '../../../core/index.js';
import type {GraphSlice} from '../store/projection.js';
import type {GraphReader, GraphView} from '../api.js';
import {IndexedGraph} from './view.js';

/** GRAPH_READER: the graph as projected from the log right now (no lock). */
@injectable()
export class GraphReaderService implements GraphReader {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async view(): Promise<GraphView> {
    const {graph} = await this.host.read(['graph']);
    return this.viewOf(graph);
  }

  viewOf(slice: GraphSlice): GraphView {
    return new IndexedGraph(slice, this.store.records());
  }
}
