import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as t from 'typanion';
import {EventCatalog} from '../../../core/catalog.js';
import type {Clock, IdSource} from '../../../core/clock.js';
import {defineEvents, type SporEvent} from '../../../core/events.js';
import {EventStore} from '../../../core/eventStore.js';
import {sporPaths, type SporPaths} from '../../../core/paths.js';
import {counterIds, fakeClock} from '../../helpers/fakeClock.js';
import {tempDir} from '../../helpers/tempHome.js';

/** The one event type these store tests append; v3, so a stamped `v` is visibly the definition's. */
export type ThingHappened = SporEvent<'thing-happened', 3, {n: number; note?: string}>;
export const testEvents = defineEvents<ThingHappened>({
  'thing-happened': {v: 3, data: t.isObject({n: t.isNumber()}, {extra: t.isUnknown()})},
});

export interface StoreFixture {
  store: EventStore;
  paths: SporPaths;
  /** The log's bytes right now (empty when there is none). */
  bytes(): Buffer;
}

/**
 * An EventStore on a real log in a fresh temporary SPOR_HOME, with a catalog that declares only
 * `thing-happened`. Pass `paths` to open a second store on the same log (another "process").
 */
export const makeStore = (
  opts: {paths?: SporPaths; clock?: Clock; ids?: IdSource; actor?: string} = {},
): StoreFixture => {
  const paths = opts.paths ?? sporPaths({SPOR_HOME: join(tempDir('spor-store-'), '.spor')});
  const catalog = new EventCatalog();
  catalog.add('test', testEvents);
  const store = new EventStore(
    paths,
    opts.clock ?? fakeClock(),
    opts.ids ?? counterIds(),
    catalog,
    opts.actor ?? 'machine:test',
  );
  return {store, paths, bytes: () => (existsSync(paths.log) ? readFileSync(paths.log) : Buffer.alloc(0))};
};

export const thing = (n: number, extra: {id?: string; causation?: string; note?: string} = {}) => {
  const {id, causation, note} = extra;
  return {
    type: 'thing-happened',
    data: note === undefined ? {n} : {n, note},
    ...(id === undefined ? {} : {id}),
    ...(causation === undefined ? {} : {causation}),
  };
};

/** Every committed event in the log, as a reader (no lock) sees it. */
export const readAll = (store: EventStore): Array<SporEvent> => {
  const events: Array<SporEvent> = [];
  store.read(0, 0, (e) => {
    events.push(e);
  });
  return events;
};

/** The byte ranges [start, end) of each line of `buf`, newline included. */
export const lineSpans = (buf: Buffer): Array<[number, number]> => {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    spans.push([start, nl + 1]);
    start = nl + 1;
  }
  return spans;
};
