#!/usr/bin/env node
// The work graph at team scale: `spor next` and `spor brief <id>` over a 10,000-node graph against
// `spor repos list` on the same home (each interleaved with it), and `spor import` of 1,000
// markdown node files into a fresh home. Run alone with `node bench/graph.mjs` (after a build), or
// as the `graph` suite of bench/run.mjs through `benchGraph`.
import {closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {interleave, loadCore, median, row, runAlone, SPOR_BIN, sporEnv, tempDir, timeProcess} from './lib.mjs';

// Sizes measured on the 343-node live-shape graph in ../shared/interop (a real team graph,
// scrubbed): titles ~85 characters, summaries ~370, bodies ~1,100, ~2.2 edges per node.
const SHAPE = {titleWords: 10, summaryWords: 45, bodyWords: 140, edgesPerNode: 2.2};
const REPOS = 10;

// A deterministic pseudo-random stream, so every run measures the same graph.
const rng = (seed) => () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const words = (rand, n) =>
  Array.from(
    {length: n},
    () =>
      `w${Math.floor(rand() * 0xffffff)
        .toString(16)
        .padStart(6, '0')}`,
  ).join(' ');

/**
 * A graph in the shape of a real one: tasks, issues, questions, decisions, norms and inert
 * artifacts over ten repos; a third of the work done; some priorities, blockers, resolving and
 * superseding decisions, sleepers. Returns nodes (with text) and edges.
 */
export const makeGraph = (count, seed = 42) => {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const kinds = [
    ['task', 45],
    ['issue', 15],
    ['question', 5],
    ['decision', 20],
    ['norm', 5],
    ['artifact', 10],
  ];
  const bag = kinds.flatMap(([k, w]) => Array(w).fill(k));
  const base = Date.parse('2025-09-01T00:00:00.000Z');
  const nodes = [];
  for (let i = 0; i < count; i += 1) {
    const type = pick(bag);
    const node = {
      id: `${type}-n${i}`,
      type,
      title: words(rand, SHAPE.titleWords),
      created: new Date(base + Math.floor(rand() * 300) * 86_400_000).toISOString().slice(0, 10),
      summary: words(rand, SHAPE.summaryWords),
      body: words(rand, SHAPE.bodyWords),
      repo: `p${Math.floor(rand() * REPOS)}`,
    };
    if (type === 'task' || type === 'issue') {
      node.status = rand() < 0.35 ? 'done' : pick(['open', 'active']);
      if (rand() < 0.1) node.priority = pick(['p1', 'p2', 'p3']);
      if (rand() < 0.02) node.wake = '2099-01-01';
    } else if (type === 'decision') node.status = rand() < 0.05 ? 'superseded' : 'active';
    else if (type === 'norm') node.status = 'active';
    else if (type === 'question') node.status = rand() < 0.5 ? 'answered' : 'open';
    if (rand() < 0.3)
      node.extra = {author: `person${Math.floor(rand() * 20)}`, authored_via: pick(['mcp', 'rest', 'capture'])};
    nodes.push(node);
  }
  const ofType = (t) => nodes.filter((n) => n.type === t);
  const work = [...ofType('task'), ...ofType('issue')];
  const decisions = ofType('decision');
  const edges = new Map();
  const add = (from, type, to) => {
    if (from !== to) edges.set(`${from} ${type} ${to}`, {from, type, to});
  };
  while (edges.size < Math.floor(count * SHAPE.edgesPerNode)) {
    const r = rand();
    const from = pick(nodes);
    if (r < 0.55) add(from.id, 'relates-to', pick(nodes).id);
    else if (r < 0.8) add(from.id, 'derived-from', pick(nodes).id);
    else if (r < 0.88) add(pick(work).id, 'constrained-by', pick(decisions).id);
    else if (r < 0.94) add(pick(work).id, 'blocks', pick(work).id);
    else if (r < 0.98) add(pick(decisions).id, 'resolves', pick(work).id);
    else add(pick(decisions).id, 'supersedes', pick(decisions).id);
  }
  return {nodes, edges: [...edges.values()]};
};

/** Writes the graph as events (one `node-added` per node, one `edge-added` per edge) plus repo mappings. */
const writeGraphLog = (sporHome, graph) => {
  const {encodeLine} = loadCore();
  mkdirSync(sporHome, {recursive: true, mode: 0o700});
  const fd = openSync(join(sporHome, 'events.jsonl'), 'w', 0o600);
  let seq = 0;
  const at = '2026-06-01T00:00:00.000Z';
  const drafts = [
    ...Array.from({length: REPOS}, (_, i) => ['repo-added', {slug: `p${i}`, path: `/home/ada/src/p${i}`}]),
    ...graph.nodes.map((node) => ['node-added', {node}]),
    ...graph.edges.map((edge) => ['edge-added', {edge}]),
  ];
  try {
    let chunk = [];
    for (const [type, data] of drafts) {
      seq += 1;
      chunk.push(
        encodeLine({
          id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
          seq,
          type,
          v: 1,
          at,
          actor: 'machine:ada@bench',
          data,
        }),
      );
      if (chunk.length === 5000 || seq === drafts.length) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
  } finally {
    closeSync(fd);
  }
  return seq;
};

/** Writes nodes as Spor-format markdown files (frontmatter with flow-map edges, body below). */
export const writeMarkdownGraph = (dir, graph) => {
  mkdirSync(dir, {recursive: true});
  const out = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) out.get(e.from)?.push(e);
  for (const n of graph.nodes) {
    const lines = [
      '---',
      `id: ${n.id}`,
      `type: ${n.type}`,
      `project: ${n.repo}`,
      `title: ${n.title}`,
      `summary: ${n.summary}`,
    ];
    if (n.status) lines.push(`status: ${n.status}`);
    if (n.priority) lines.push(`priority: ${n.priority}`);
    if (n.wake) lines.push(`wake: ${n.wake}`);
    lines.push(`date: ${n.created}`);
    for (const [k, v] of Object.entries(n.extra ?? {})) lines.push(`${k}: ${v}`);
    const edges = out.get(n.id) ?? [];
    if (edges.length > 0) lines.push('edges:', ...edges.map((e) => `  - {type: ${e.type}, to: ${e.to}}`));
    lines.push('---', '', n.body, '');
    writeFileSync(join(dir, `${n.id}.md`), lines.join('\n'));
  }
};

/** A node worth briefing: open, with a blocker, a decision in force and a repo with norms. */
const briefTarget = (graph) => {
  const by = new Map(graph.nodes.map((n) => [n.id, n]));
  const score = new Map();
  for (const e of graph.edges) {
    const to = by.get(e.to);
    if (to?.type === 'task' && to.status !== 'done' && (e.type === 'blocks' || e.type === 'constrained-by'))
      score.set(to.id, (score.get(to.id) ?? 0) + 1);
  }
  return [...score].sort((a, b) => b[1] - a[1])[0]?.[0] ?? graph.nodes.find((n) => n.type === 'task').id;
};

export const benchGraph = async ({nodes = 10_000, rounds = 20, importFiles = 1_000, importRuns = 3} = {}) => {
  const home = tempDir('spor-bench-graph-');
  const src = tempDir('spor-bench-graph-md-');
  try {
    const env = sporEnv(home);
    const graph = makeGraph(nodes);
    const events = writeGraphLog(env.SPOR_HOME, graph);
    const target = briefTarget(graph);
    process.stderr.write(
      `  (graph: ${nodes} nodes, ${graph.edges.length} edges, ${events} events; briefing ${target})\n`,
    );
    const run =
      (...args) =>
      () =>
        timeProcess([SPOR_BIN, ...args], env);
    const measures = {repos: run('repos', 'list'), next: run('next'), brief: run('brief', target)};
    // The first runs fold the log into snapshots and build V8's code cache, as a user's first
    // commands after an import would.
    for (let i = 0; i < 3; i += 1) for (const m of Object.values(measures)) m();
    const s = await interleave(rounds, measures);

    const small = makeGraph(importFiles, 7);
    writeMarkdownGraph(src, small);
    const importMs = [];
    for (let i = 0; i < importRuns; i += 1) {
      const fresh = tempDir('spor-bench-import-');
      try {
        importMs.push(timeProcess([SPOR_BIN, 'import', src], sporEnv(fresh)));
      } finally {
        rmSync(fresh, {recursive: true, force: true});
      }
    }
    return [
      row(`graph: spor next vs spor repos list, ${nodes} nodes (${rounds} each)`, median(s.next), median(s.repos), 1.5),
      row(
        `graph: spor brief <id> vs spor repos list, ${nodes} nodes (${rounds} each)`,
        median(s.brief),
        median(s.repos),
        1.5,
      ),
      row(
        `graph: spor import of ${importFiles} markdown nodes, fresh home (median of ${importRuns})`,
        median(importMs),
        undefined,
        3000,
        'ms',
      ),
    ];
  } finally {
    rmSync(home, {recursive: true, force: true});
    rmSync(src, {recursive: true, force: true});
  }
};

await runAlone(import.meta.url, benchGraph);
