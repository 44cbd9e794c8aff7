import {
  type EventCatalog,
  inject,
  injectable,
  type EventStore,
  type Host,
  EVENT_CATALOG,
  EVENT_STORE,
  HOST,
} from '../../core/index.js';
import {LogRecords} from './logRecords.js';
import type {GraphSlice} from './projection.js';
import type {GraphReader, GraphView} from './api.js';
import {IndexedGraph} from './view.js';

/** Builds a view over a slice; node text is read from `store`'s log on demand. */
export const viewOf = (slice: GraphSlice, store: EventStore, catalog: EventCatalog): GraphView =>
  new IndexedGraph(slice, new LogRecords(store, catalog));

/** GRAPH_READER: the graph as projected from the log right now (no lock). */
@injectable()
export class GraphReaderService implements GraphReader {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  async view(): Promise<GraphView> {
    const {graph} = await this.host.read(['graph']);
    return viewOf(graph, this.store, this.catalog);
  }
}
