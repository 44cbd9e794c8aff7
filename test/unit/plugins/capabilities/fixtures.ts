import {resolve} from '../../../../core/di.js';
import type {EventDraft} from '../../../../core/events.js';
import {definePlugin} from '../../../../core/plugin.js';
import type {Prober} from '../../../../plugins/capabilities/api.js';
import {builtinPlugins} from '../../../../core/builtins.js';
import {HOST} from '../../../../core/tokens.js';
import {graphEvents} from '../../../../plugins/graph/model/events.js';
import type {GraphNode} from '../../../../plugins/graph/model/model.js';
import {graphProjection} from '../../../../plugins/graph/store/projection.js';
import {GRAPH_READER, viewOfSlice} from '../../../../plugins/graph/api.js';
import {runInProcess} from '../../../helpers/inProcess.js';

// In-process tests never spawn: the real harness probers are left out and these fakes stand in.
// FAKE_FAIL / FAKE_HANG in the environment make `fake-flaky` throw or hang until its deadline.
const probers: Array<Prober> = [
  {
    name: 'fake-claude',
    probe: async () => ({
      harnesses: ['claude-code'],
      facts: {'claude-code': {path: '/opt/claude/bin/claude', version: '2.0.14'}},
    }),
  },
  {name: 'fake-config', probe: async () => ({skills: ['tdd'], plugins: ['superpowers']})},
  {
    name: 'fake-flaky',
    probe: (ctx) => {
      if (ctx.env.FAKE_FAIL) return Promise.reject(new Error('config unreadable'));
      if (ctx.env.FAKE_HANG) return new Promise(() => {});
      return Promise.resolve({});
    },
  },
];

const fakeProbers = definePlugin({
  name: 'fake-probers',
  version: '0.0.0',
  settings: [{key: 'harness.codex.binary', type: 'string', default: '', description: 'test'}],
  contributes: {probers},
});

/** The graph's events and slice without its commands; `withReader` also registers GRAPH_READER. */
const graphStub = (withReader: boolean) =>
  definePlugin({
    name: 'graph-stub',
    version: '0.0.0',
    events: graphEvents,
    projections: [graphProjection],
    ...(withReader
      ? {
          services: (r) =>
            r.factory(GRAPH_READER, (c) => ({
              view: async () => {
                const {graph} = await resolve(c, HOST).read(['graph']);
                return viewOfSlice(graph);
              },
              viewOf: viewOfSlice,
            })),
        }
      : {}),
  });

const wanted = new Set(['./plugins/settings', './plugins/capabilities']);

export const builtinsFor = (opts: {graphReader?: boolean; graph?: boolean} = {}) => [
  ...builtinPlugins().filter((b) => wanted.has(b.location)),
  {location: './test/fake-probers', load: async () => ({default: fakeProbers})},
  ...(opts.graph === false
    ? []
    : [{location: './test/graph-stub', load: async () => ({default: graphStub(opts.graphReader ?? false)})}]),
];

export const runner = (opts: {graphReader?: boolean; graph?: boolean} = {}) => {
  const builtins = builtinsFor(opts);
  return (args: Array<string>, home: string, env: Record<string, string> = {}) =>
    runInProcess(args, {home, env, builtins});
};

/** Appends events (graph nodes, say) to a home's log through a booted host. */
export const seed = async (home: string, drafts: Array<EventDraft>): Promise<void> => {
  const {booted} = await runInProcess(['--version'], {home, builtins: builtinsFor()});
  await resolve(booted.container, HOST).append(drafts);
};

export const profileNode = (id: string, fields: Partial<GraphNode> = {}): EventDraft => ({
  type: 'node-added',
  data: {node: {id, type: 'profile', title: id, created: '2025-01-01T00:00:00Z', ...fields}},
});
