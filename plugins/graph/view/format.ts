import {printable} from '../../../core/index.js';
import {isActedOnEdge, isActedOnType, type GraphEdge, type GraphNode} from '../model/model.js';
import type {GraphView, QueueResult, Readiness} from '../api.js';

/** An edge as `spor get --json` shows it: whether spor acts on it, and whether its far end exists. */
export interface ShownEdge {
  type: string;
  from: string;
  to: string;
  attrs?: Record<string, string>;
  inert: boolean;
  missing: boolean;
  live: boolean;
}

/** What `spor get --json` prints. */
export interface NodeReport {
  node: GraphNode;
  inert: boolean;
  resolved: boolean;
  resolution: ReturnType<GraphView['resolution']> | null;
  readiness: {readiness: Readiness; reasons: Array<string>};
  blockers: Array<string>;
  edges: {out: Array<ShownEdge>; in: Array<ShownEdge>};
}

const byText = (a: ShownEdge, b: ShownEdge): number => {
  const x = `${a.type} ${a.from} ${a.to}`;
  const y = `${b.type} ${b.from} ${b.to}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

export const reportOf = (view: GraphView, node: GraphNode): NodeReport => {
  const shown = (e: GraphEdge, far: string): ShownEdge => ({
    type: e.type,
    from: e.from,
    to: e.to,
    ...(e.attrs ? {attrs: e.attrs} : {}),
    inert: !isActedOnEdge(e.type),
    missing: view.meta(far) === undefined,
    live: view.isLive(e),
  });
  const resolution = view.resolution(node.id);
  return {
    node,
    inert: !isActedOnType(node.type),
    resolved: resolution !== undefined,
    resolution: resolution ?? null,
    readiness: view.readiness(node.id),
    blockers: view.openBlockers(node.id).map((b) => b.id),
    edges: {
      out: view
        .outbound(node.id)
        .map((e) => shown(e, e.to))
        .sort(byText),
      in: view
        .inbound(node.id)
        .map((e) => shown(e, e.from))
        .sort(byText),
    },
  };
};

const FIELDS: ReadonlyArray<keyof GraphNode> = [
  'title',
  'status',
  'priority',
  'repo',
  'requires',
  'readiness',
  'wake',
  'created',
  'tags',
  'applies_to_tags',
  'email',
  'identity',
  'pubkey',
  'harness',
  'model',
  'posture',
  'mcp',
  'skills',
  'plugins',
  'summary',
];

const value = (v: unknown): string =>
  Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : JSON.stringify(v);

const edgeNotes = (e: ShownEdge, far: 'to' | 'from'): string => {
  const notes = [
    ...(e.attrs ? Object.entries(e.attrs).map(([k, v]) => `${k}=${v}`) : []),
    ...(e.inert ? ['inert'] : []),
    ...(e.missing ? [`no node '${e[far]}'`] : []),
    ...(far === 'from' && !e.missing && !e.live ? ['not live: its source was withdrawn'] : []),
  ];
  return notes.length > 0 ? `  (${notes.join('; ')})` : '';
};

const NOT_WORK: ReadonlySet<string> = new Set(['person', 'agent', 'profile', 'repo']);

const workLines = (r: NodeReport): Array<string> => {
  const res = r.resolution;
  return [
    `${'resolution:'.padEnd(12)}${!res ? 'unresolved' : res.by === 'status' ? `resolved (status ${res.status})` : `resolved (${res.from} ${res.type} it)`}`,
    `${'readiness:'.padEnd(12)}${r.readiness.readiness} (${r.readiness.reasons.join('; ')})`,
    ...(r.blockers.length > 0 ? [`${'blocked by:'.padEnd(12)}${r.blockers.join(', ')}`] : []),
  ];
};

/** `spor get` as text: the fields, the derived state, the edges both ways, then the body. */
export const reportLines = (r: NodeReport): Array<string> => {
  const n = r.node;
  const lines = [`${n.id}  (${n.type}${r.inert ? ', inert: kept, never acted on' : ''})`];
  for (const key of FIELDS) if (n[key] !== undefined) lines.push(`${`${key}:`.padEnd(12)}${printable(value(n[key]))}`);
  // Who and what runs the work (people, agents, profiles, repos) is never queued: no queue state.
  if (!NOT_WORK.has(n.type)) lines.push(...workLines(r));
  if (n.extra && Object.keys(n.extra).length > 0) {
    lines.push('extra:');
    for (const [k, v] of Object.entries(n.extra)) lines.push(`  ${printable(k)}: ${printable(value(v))}`);
  }
  lines.push(`edges out:${r.edges.out.length === 0 ? ' none' : ''}`);
  for (const e of r.edges.out) lines.push(`  ${e.type} → ${e.to}${edgeNotes(e, 'to')}`);
  lines.push(`edges in:${r.edges.in.length === 0 ? ' none' : ''}`);
  for (const e of r.edges.in) lines.push(`  ${e.from} ${e.type} →${edgeNotes(e, 'from')}`);
  if (n.body) lines.push('', n.body.trimEnd());
  return lines;
};

/** `spor next` as text: one numbered item per two lines, then what was hidden. */
export const queueLines = (r: QueueResult): Array<string> => {
  const lines: Array<string> = [];
  const width = String(r.items.length).length;
  r.items.forEach((item, i) => {
    lines.push(`${String(i + 1).padStart(width)}. ${item.id}  ${printable(item.title)}`);
    lines.push(
      `${' '.repeat(width + 2)}${[item.why, item.repo ? `repo ${item.repo}` : 'no repo', `readiness ${item.readiness}`].join(' · ')}`,
    );
  });
  const c = r.counts;
  const ranked = c.open - c.filtered - c.blocked - c.dormant;
  if (r.items.length === 0)
    lines.push(c.open === 0 ? 'the queue is empty: no open task, issue or question' : 'nothing to show');
  lines.push(
    `${c.shown} shown of ${ranked} ready to rank · ${c.blocked} blocked · ${c.dormant} dormant · ${c.filtered} filtered out · ${c.open} open in all`,
  );
  if (ranked > c.shown && c.shown > 0) lines.push('(--limit 0 shows them all)');
  return lines;
};
