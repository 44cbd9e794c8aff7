import {claim, leaseBody, liveHolder} from '../domain/leases.js';
import {
  IDENTITY_EDGES,
  IDENTITY_TYPES,
  PRIORITY_SET,
  normalizeEdge,
  sameEdges,
  viewOf,
  withEdge,
  type NormalizedEdge,
} from '../domain/graph.js';
import {nodeBody, stamped, writeNode} from '../domain/nodes.js';
import {problemsOf, putNode, readEntry, type NodeInput, type PutEntry, type YamlParse} from '../domain/put.js';
import {queueOf, graphSnapshot} from '../domain/queue.js';
import {ApiError, forbidden, invalid, notFound, unimplemented} from '../http/errors.js';
import {defineRoute, type Viewer} from '../http/route.js';
import {NODE_ID, object, oneOrMany, params, str} from '../http/schemas.js';
import type {TeamTx} from '../store/contract.js';
import type {NodeRecord, TeamNode} from '../store/records.js';

type Id = {id: string};
const ID = params({id: NODE_ID});
const KEBAB = str({pattern: '^[a-z0-9][a-z0-9-]{0,127}$'});
const EDGE_TYPE = str({pattern: '^[a-z][a-z0-9-]{0,63}$'});
const ATTRS = {type: 'object', maxProperties: 20, additionalProperties: {type: 'string', maxLength: 200}};
const WORDS = {type: 'array', items: {type: 'string', maxLength: 200}, maxItems: 50};
const TEXT = (max: number): Record<string, unknown> => ({type: 'string', maxLength: max});

/** A node as JSON: the fields of a Spor node (stamps a client sends are accepted and discarded). */
const NODE_OBJECT = object({
  id: TEXT(128),
  type: TEXT(64),
  title: TEXT(1000),
  summary: TEXT(4000),
  body: TEXT(64 * 1024),
  status: TEXT(64),
  priority: TEXT(16),
  repo: TEXT(128),
  project: TEXT(128),
  requires: WORDS,
  readiness: TEXT(16),
  wake: TEXT(40),
  date: TEXT(40),
  created: TEXT(40),
  tags: WORDS,
  applies_to_tags: WORDS,
  email: TEXT(200),
  harness: TEXT(128),
  model: TEXT(128),
  mcp: WORDS,
  skills: WORDS,
  plugins: WORDS,
  edges: {
    type: 'array',
    maxItems: 200,
    items: object({type: TEXT(64), to: TEXT(200), attrs: ATTRS}, ['type', 'to']),
  },
  extra: {type: 'object', maxProperties: 100},
  author: TEXT(200),
  authored_via: TEXT(64),
  authored_by_agent: TEXT(200),
  session: TEXT(200),
});
const IF_EXISTS = {type: 'string', enum: ['skip', 'error']};
const MARKDOWN = TEXT(64 * 1024);
const ENTRY = {
  anyOf: [
    MARKDOWN,
    object({node: {anyOf: [MARKDOWN, NODE_OBJECT]}, if_exists: IF_EXISTS, revision: TEXT(64)}, ['node']),
  ],
};

/** A node the node routes may write: 404 when absent, 403 for people, agents and the org root. */
const writable = async (tx: TeamTx, id: string): Promise<NodeRecord> => {
  const r = await tx.node(id);
  if (!r) throw notFound(`no node '${id}'`);
  if (IDENTITY_TYPES.has(r.node.type)) throw forbidden(`${r.node.type} nodes are written through their own routes`);
  return r;
};

/** The edge normalized for writing, or a 422 with the reason. */
const canonicalEdge = (from: string, type: string, to: string): NormalizedEdge => {
  const n = normalizeEdge(from, type, to);
  if ('error' in n) throw invalid(n.error, [{field: 'type'}], 'invalid_node');
  if (IDENTITY_EDGES.has(n.type)) throw forbidden(`'${n.type}' edges are written through the identity routes`);
  if (n.from === n.to) throw invalid('an edge needs two different nodes', [{field: 'to'}], 'invalid_node');
  return n;
};

const IN_PROGRESS = new Set(['in-progress', 'doing', 'started']);
const WORK_TYPES = new Set(['task', 'issue']);
const CLEAR = new Set(['none', 'clear', '', 'p0']);

/** Sets one scalar field (or clears it) with its own audit stamps; nothing to change writes nothing. */
const setScalar = async (
  tx: TeamTx,
  id: string,
  viewer: Viewer,
  now: Date,
  field: 'status' | 'priority' | 'readiness',
  value: string | undefined,
): Promise<{status: 'updated' | 'skipped'; id: string; revision: string; record: NodeRecord}> => {
  const r = await writable(tx, id);
  if (r.node[field] === value) return {status: 'skipped', id, revision: r.revision, record: r};
  const node: TeamNode = {...r.node};
  if (value === undefined) delete node[field];
  else (node as unknown as Record<string, unknown>)[field] = value;
  if (field !== 'status') {
    const who = viewer.agent ?? viewer.person;
    Object.assign(node, {[`${field}_by`]: who, [`${field}_at`]: now.toISOString(), [`${field}_via`]: viewer.by.via});
  }
  const written = writeNode(tx, r, stamped(node, viewer.by, now), field, viewer.by);
  return {status: 'updated', id, revision: written.revision, record: written};
};

let yamlParse: YamlParse | undefined;
const loadYaml = async (): Promise<YamlParse> => (yamlParse ??= (await import('yaml')).parse);

const list = (v: string | Array<string> | undefined): Array<string> =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const nodeRoutes = [
  defineRoute<Record<string, never>, Id>({
    name: 'GET /v1/nodes/{id}',
    schema: {params: ID, querystring: object({})},
    handle: async ({params: {id}, now}, {store}) => {
      const r = await store.node(id);
      if (!r) throw notFound(`no node '${id}'`);
      // The rules need the node's neighbours only: its targets and whoever points at it.
      const targets = (await Promise.all(r.node.edges.map((e) => store.node(e.to)))).filter(
        (t): t is NodeRecord => t !== undefined,
      );
      const view = viewOf([r, ...targets, ...(await store.inbound(id))]);
      const resolution = view.resolution(id);
      const holder = liveHolder(await store.lease(id), now);
      const lease = holder ? await store.lease(id) : undefined;
      return {
        body: {
          ...nodeBody(r),
          resolved: view.isResolved(id),
          ...(resolution ? {resolution} : {}),
          derived_readiness: view.readiness(id),
          ...(holder && lease ? {lease: leaseBody(id, lease.fence, holder)} : {}),
        },
      };
    },
  }),

  defineRoute<{nodes: Array<string | PutEntry>; if_exists?: 'skip' | 'error'}>({
    name: 'POST /v1/nodes',
    invalid: 'invalid_node',
    schema: {
      body: object({nodes: {type: 'array', minItems: 1, maxItems: 200, items: ENTRY}, if_exists: IF_EXISTS}, ['nodes']),
    },
    handle: async ({viewer, body, now}, {store}) => {
      const yaml = body.nodes.some((e) => typeof e === 'string' || typeof e.node === 'string')
        ? await loadYaml()
        : undefined;
      const results: Array<Record<string, unknown>> = [];
      // Sequentially, each validated and written before the next; a failure rolls nothing back.
      for (const [i, raw] of body.nodes.entries()) {
        const entry: PutEntry = typeof raw === 'string' ? {node: raw} : raw;
        const parsed = readEntry(entry.node as string | NodeInput, yaml, i);
        const problems = 'errors' in parsed ? parsed.errors : problemsOf(parsed);
        if ('errors' in parsed || problems.length > 0) {
          const id = 'errors' in parsed ? undefined : parsed.node.id;
          results.push({
            status: 'error',
            ...(id ? {id} : {}),
            error: {code: 'invalid_node', message: problems[0] ?? 'invalid node', details: problems},
          });
          continue;
        }
        try {
          const ifExists = entry.if_exists ?? body.if_exists ?? 'error';
          results.push({
            ...(await store.transact((tx) =>
              putNode(
                tx,
                parsed,
                {ifExists, ...(entry.revision === undefined ? {} : {revision: entry.revision})},
                viewer,
                now,
              ),
            )),
          });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          results.push({
            status: 'error',
            id: parsed.node.id,
            error: {code: e.code, message: e.message, details: e.details},
          });
        }
      }
      return {status: results.some((r) => r.status === 'error') ? 207 : 200, body: {results}};
    },
  }),

  defineRoute<{type: string; to: string; attrs?: Record<string, string>}, Id>({
    name: 'POST /v1/nodes/{id}/edges',
    invalid: 'invalid_node',
    schema: {params: ID, body: object({type: EDGE_TYPE, to: KEBAB, attrs: ATTRS}, ['type', 'to'])},
    handle: async ({viewer, params: {id}, body, now}, {store}) => {
      const n = canonicalEdge(id, body.type, body.to);
      const out = await store.transact(async (tx) => {
        if (n.flipped && !(await tx.node(id))) throw notFound(`no node '${id}'`);
        const r = await writable(tx, n.from);
        const edges = withEdge(r.node.edges, {type: n.type, to: n.to, ...(body.attrs ? {attrs: body.attrs} : {})});
        if (sameEdges(edges, r.node.edges)) return 'skipped' as const;
        writeNode(tx, r, stamped(r.node, viewer.by, now, edges), 'edge-added', viewer.by);
        return 'updated' as const;
      });
      return {body: {status: out, id: n.from, warnings: n.warning ? [n.warning] : []}};
    },
  }),

  defineRoute<{type: string; to: string}, Id>({
    name: 'DELETE /v1/nodes/{id}/edges',
    invalid: 'invalid_node',
    schema: {params: ID, body: object({type: EDGE_TYPE, to: KEBAB}, ['type', 'to'])},
    handle: async ({viewer, params: {id}, body, now}, {store}) => {
      const n = canonicalEdge(id, body.type, body.to);
      const out = await store.transact(async (tx) => {
        const r = await writable(tx, n.from);
        const edges = r.node.edges.filter((e) => !(e.type === n.type && e.to === n.to));
        if (edges.length === r.node.edges.length) return 'skipped' as const;
        writeNode(tx, r, stamped(r.node, viewer.by, now, edges), 'edge-removed', viewer.by);
        return 'updated' as const;
      });
      return {body: {status: out, id: n.from, warnings: n.warning ? [n.warning] : []}};
    },
  }),

  defineRoute<{status: string}, Id>({
    name: 'POST /v1/nodes/{id}/status',
    invalid: 'invalid_node',
    schema: {params: ID, body: object({status: str({pattern: '^[a-z][a-z0-9-]{0,40}$'})}, ['status'])},
    handle: async ({viewer, params: {id}, body, now}, {store, policy}) => {
      // Setting a work node in progress also claims it (the same lease as /claim), first: a node
      // someone else holds is refused before its status changes.
      const lease = IN_PROGRESS.has(body.status)
        ? await store.transact(async (tx) =>
            WORK_TYPES.has((await writable(tx, id)).node.type)
              ? claim(tx, viewer, id, undefined, now, policy)
              : undefined,
          )
        : undefined;
      const out = {set: await store.transact((tx) => setScalar(tx, id, viewer, now, 'status', body.status)), lease};
      return {
        body: {
          status: out.set.status,
          id,
          revision: out.set.revision,
          warnings: [],
          ...(out.lease ? {lease: out.lease.lease} : {}),
        },
      };
    },
  }),

  defineRoute<{priority: string}, Id>({
    name: 'POST /v1/nodes/{id}/priority',
    invalid: 'invalid_node',
    schema: {params: ID, body: object({priority: TEXT(16)}, ['priority'])},
    handle: async ({viewer, params: {id}, body, now}, {store}) => {
      const p = body.priority.trim().toLowerCase();
      if (!PRIORITY_SET.has(p) && !CLEAR.has(p))
        throw invalid(
          `unknown priority '${body.priority}'`,
          [{allowed: [...PRIORITY_SET, 'none', 'clear', '', 'p0']}],
          'invalid_node',
        );
      const set = await store.transact((tx) =>
        setScalar(tx, id, viewer, now, 'priority', CLEAR.has(p) ? undefined : p),
      );
      return {body: {status: set.status, id, revision: set.revision, warnings: []}};
    },
  }),

  defineRoute<{readiness: string}, Id>({
    name: 'POST /v1/nodes/{id}/readiness',
    invalid: 'invalid_node',
    schema: {params: ID, body: object({readiness: TEXT(16)}, ['readiness'])},
    handle: async ({viewer, params: {id}, body, now}, {store}) => {
      const r = body.readiness.trim().toLowerCase();
      if (r !== 'agent' && !CLEAR.has(r))
        throw invalid(
          `unknown readiness '${body.readiness}'`,
          [{allowed: ['agent', 'none', 'clear', '']}],
          'invalid_node',
        );
      const set = await store.transact((tx) =>
        setScalar(tx, id, viewer, now, 'readiness', r === 'agent' ? 'agent' : undefined),
      );
      return {body: {status: set.status, id, revision: set.revision, warnings: []}};
    },
  }),

  defineRoute<
    Record<string, never>,
    Record<string, never>,
    {
      project?: string;
      assignee?: string;
      type?: string | Array<string>;
      exclude_type?: string | Array<string>;
      limit?: string;
      offset?: string;
    }
  >({
    name: 'GET /v1/queue',
    schema: {
      querystring: object({
        project: TEXT(128),
        assignee: str({pattern: '^(me|person-[a-z0-9][a-z0-9-]{0,120})$'}),
        type: oneOrMany(TEXT(200)),
        exclude_type: oneOrMany(TEXT(200)),
        limit: str({pattern: '^[0-9]{1,6}$'}),
        offset: str({pattern: '^[0-9]{1,9}$'}),
      }),
    },
    handle: async ({viewer, query, now}, {store, container}) => ({
      body: await queueOf(
        store,
        container,
        viewer,
        {
          ...(query.project ? {project: query.project} : {}),
          ...(query.assignee ? {assignee: query.assignee} : {}),
          types: list(query.type),
          excludeTypes: list(query.exclude_type),
          // Clamped, not rejected.
          limit: Math.min(100, Math.max(1, Number(query.limit ?? 20))),
          offset: Number(query.offset ?? 0),
        },
        now,
      ),
    }),
  }),

  defineRoute<Record<string, never>, Record<string, never>, {titles?: string}>({
    name: 'GET /v1/status',
    schema: {querystring: object({titles: {type: 'string', enum: ['0', '1', 'true', 'false']}})},
    handle: async ({query, now}, {store, started}) => {
      const {records} = await graphSnapshot(store);
      const projects: Record<string, number> = {};
      for (const r of records) if (r.node.repo) projects[r.node.repo] = (projects[r.node.repo] ?? 0) + 1;
      const titles = query.titles === '1' || query.titles === 'true';
      return {
        body: {
          node_count: records.length,
          projects,
          head: await store.head(),
          uptime: Math.max(0, Math.round((now.getTime() - started.getTime()) / 1000)),
          metrics: {store: store.kind},
          ...(titles
            ? {
                titles: records.map((r) => ({
                  id: r.node.id,
                  type: r.node.type,
                  project: r.node.repo ?? null,
                  title: r.node.title,
                })),
              }
            : {}),
        },
      };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, Record<string, string>>({
    name: 'GET /v1/changes',
    schema: {
      querystring: object({since: TEXT(100), project: TEXT(128), limit: str({pattern: '^[0-9]{1,6}$'})}),
    },
    handle: async () => {
      throw unimplemented('this server keeps no git history of nodes; read the event log (spor log) instead');
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, Record<string, string>>({
    name: 'GET /v1/export',
    schema: {
      querystring: object({
        gzip: {type: 'string', enum: ['0', '1']},
        history: {type: 'string', enum: ['0', '1']},
        auth: {type: 'string', enum: ['0', '1']},
      }),
    },
    handle: async () => {
      throw unimplemented('this server keeps no nodes/ tree to export');
    },
  }),
];
