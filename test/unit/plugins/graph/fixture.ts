import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'yaml';
import type {EventDraft, SporEvent} from '../../../../core/events.js';
import {parseNodeFile, type Parsed} from '../../../../plugins/graph/import/parse.js';
import {planImport} from '../../../../plugins/graph/import/plan.js';
import {graphProjection, type GraphSlice} from '../../../../plugins/graph/store/projection.js';
import {IndexedGraph, type TextSource} from '../../../../plugins/graph/view/view.js';
import {stored} from '../../../helpers/spec.js';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/graph/', import.meta.url));

/** "Now" for every rule test: the fixture's dates are relative to it. */
export const NOW = new Date('2026-07-01T00:00:00.000Z');

/** Parses every markdown file of a fixture folder, sorted by name. */
export const parseDir = (dir: string): Array<Parsed> =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseNodeFile(f, readFileSync(join(dir, f), 'utf8'), (s) => parse(s)));

/** A text source over in-memory events that records which seqs were asked for. */
export const memorySource = (events: ReadonlyArray<SporEvent>): TextSource & {asked: Array<number>} => {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const asked: Array<number> = [];
  return {
    asked,
    fetch: (refs) => {
      const found = new Map<number, SporEvent>();
      for (const {seq} of refs) {
        asked.push(seq);
        const e = bySeq.get(seq);
        if (e) found.set(seq, e);
      }
      return found;
    },
  };
};

/** Folds drafts into a slice and a view over it, as the projector and GRAPH_READER would. */
export const graphOf = (drafts: ReadonlyArray<EventDraft>) => {
  const events = stored(drafts);
  const slice = events.reduce<GraphSlice>((s, e) => graphProjection.apply(s, e), graphProjection.initial());
  const source = memorySource(events);
  return {events, slice, source, view: new IndexedGraph(slice, source)};
};

/** The fixture graph (test/fixtures/graph/nodes), imported into an empty graph. */
export const fixtureGraph = () => {
  const plan = planImport(
    parseDir(join(FIXTURES, 'nodes')),
    new IndexedGraph(graphProjection.initial()),
    NOW.toISOString(),
  );
  return {...graphOf(plan.drafts), plan};
};
