import type {EventCatalog} from '../../core/catalog.js';
import {inject, injectable} from '../../core/di.js';
import type {EventStore} from '../../core/eventStore.js';
import type {Host} from '../../core/host.js';
import {EVENT_CATALOG, EVENT_STORE, HOST} from '../../core/tokens.js';
import {LogRecords} from './logRecords.js';
import type {GraphSlice} from './projection.js';
import type {GraphReader, GraphView} from './tokens.js';
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
