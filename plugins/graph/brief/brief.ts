import {RefusalError, closest} from '../../../core/index.js';
import {clip, render, type BriefSection} from './briefText.js';
import type {GraphNode} from '../model/model.js';
import type {NodeMeta} from '../store/projection.js';
import {search} from './search.js';
import {steeringFor, type Steering} from './corrections.js';
import {BRIEF_DIGEST_BYTES, type Brief, type BriefCompiler, type BriefOptions, type GraphView} from '../api.js';
import {IndexedGraph} from '../view/view.js';

/** How much of each piece a digest keeps; `--full` keeps all of it. */
const DIGEST = {body: 900, summary: 400, entrySummary: 160, perSection: 6, matches: 10};
const FULL_MATCHES = 50;
const DIGEST_BUDGET = {bytes: BRIEF_DIGEST_BYTES, perSection: DIGEST.perSection};

/**
 * Does a norm (its repo stamp and `applies_to_tags`) apply to nodes of `repo`, whose repo node
 * carries `repoTags`? A norm stamped with a repo applies to that repo only; a norm with
 * `applies_to_tags` applies only where the repo node carries one of the tags (so an untagged repo
 * gets only untagged norms); a norm with neither applies everywhere.
 */
const applies = (
  normRepo: string | undefined,
  wanted: ReadonlyArray<string>,
  repo: string | undefined,
  repoTags: () => ReadonlyArray<string>,
): boolean => {
  if (normRepo !== undefined && normRepo !== repo) return false;
  if (wanted.length === 0) return true;
  const tags = repo === undefined ? [] : repoTags();
  return wanted.some((t) => tags.includes(t));
};

/** Does `norm` apply to nodes of `repo`? (see `applies`) */
export const normApplies = (view: GraphView, norm: NodeMeta, repo: string | undefined): boolean =>
  applies(norm.repo, norm.applies_to_tags ?? [], repo, () => view.meta(`repo-${repo}`)?.tags ?? []);

const tagsIn = (more: Readonly<Record<string, unknown>> | undefined, key: string): ReadonlyArray<string> => {
  const v = more?.[key];
  return Array.isArray(v) ? (v as Array<string>) : [];
};

const label = (view: IndexedGraph, i: number): string => {
  const status = view.slice.statusAt(i);
  const shown = view.isResolvedAt(i) ? `${status ?? 'resolved'}, resolved` : status;
  // A decision a `supersedes` edge replaced is never presented as current, wherever it shows.
  const newer = view.slice.typeAt(i) === 'decision' && !view.inForceAt(i) ? view.successorsAt(i) : [];
  const replaced =
    newer.length > 0 ? `, SUPERSEDED by ${newer.map((n) => view.slice.idAt(n)).join(', ')}: not in force` : '';
  return `${view.slice.idAt(i)} (${view.slice.typeAt(i)}${shown ? `, ${shown}` : ''}${replaced})`;
};

/** The whole context of one node, gathered (by position) before any of it is written. */
interface Gathered {
  blockers: Array<number>;
  decisions: Array<{at: number; note?: string}>;
  decisionNotes: Array<string>;
  norms: Array<number>;
  questions: Array<number>;
  related: Array<{at: number; how: string}>;
}

const gather = (view: IndexedGraph, at: number, steering: Steering): Gathered => {
  const {slice} = view;
  const links = view.linksAt(at);
  // Excluded nodes never surface; pinned ones and the corrections have sections of their own.
  for (const p of [...steering.excluded, ...steering.pinned, ...steering.corrections]) links.delete(p);
  const blockers = view.openBlockersAt(at).filter((b) => !steering.excluded.has(b) && !steering.pinned.includes(b));
  const taken = new Set([at, ...blockers, ...steering.excluded, ...steering.pinned, ...steering.corrections]);
  const decisions: Gathered['decisions'] = [];
  const decisionNotes: Array<string> = [];
  const addDecision = (d: number, note?: string): void => {
    if (taken.has(d)) return;
    taken.add(d);
    decisions.push(note === undefined ? {at: d} : {at: d, note});
  };
  for (const [other] of links) {
    if (slice.typeAt(other) !== 'decision') continue;
    if (view.inForceAt(other)) {
      addDecision(other);
      continue;
    }
    taken.add(other);
    const newer = view.successorsAt(other);
    const id = slice.idAt(other);
    if (newer.length > 0 && newer.every((n) => steering.excluded.has(n))) continue;
    if (newer.length > 0) {
      decisionNotes.push(`- ${id} is superseded by ${newer.map((n) => slice.idAt(n)).join(', ')}; left out`);
      for (const n of newer) addDecision(n, `supersedes ${id}`);
    } else {
      decisionNotes.push(`- ${id} is no longer in force (${slice.statusAt(other) ?? 'superseded'}); left out`);
    }
  }
  const repo = slice.repoAt(at);
  let repoTags: ReadonlyArray<string> | undefined;
  const tagsOfRepo = (): ReadonlyArray<string> => {
    if (!repoTags) {
      const r = slice.indexOf(`repo-${repo}`);
      repoTags = r === undefined ? [] : tagsIn(slice.moreAt(r), 'tags');
    }
    return repoTags;
  };
  const norms: Array<number> = [];
  for (const n of view.positionsOfType('norm')) {
    if (taken.has(n) || !view.inForceAt(n)) continue;
    if (links.has(n) || applies(slice.repoAt(n), tagsIn(slice.moreAt(n), 'applies_to_tags'), repo, tagsOfRepo)) {
      norms.push(n);
      taken.add(n);
    }
  }
  const questions: Array<number> = [];
  for (const [other] of links) {
    if (taken.has(other) || slice.typeAt(other) !== 'question' || view.isResolvedAt(other)) continue;
    questions.push(other);
    taken.add(other);
  }
  const related = [...links]
    .filter(([other]) => !taken.has(other))
    .map(([other, how]) => ({at: other, how: how.join(', ')}));
  return {blockers, decisions, decisionNotes, norms, questions, related};
};

const headOf = (view: IndexedGraph, at: number, node: GraphNode, full: boolean): Array<string> => {
  const resolution = view.resolution(node.id);
  const readiness = view.readinessAt(at);
  const facts = [
    node.type,
    node.status ?? 'no status',
    node.priority ?? 'no priority',
    node.repo ? `repo ${node.repo}` : 'no repo',
    `readiness ${readiness.readiness} (${readiness.reasons.join('; ')})`,
  ];
  const head = [`# ${node.id}: ${node.title}`, facts.join(' · ')];
  if (resolution)
    head.push(
      resolution.by === 'status'
        ? `Already resolved: status ${resolution.status}.`
        : `Already resolved: ${resolution.from} ${resolution.type} it.`,
    );
  if (node.summary) head.push('', full ? node.summary.trim() : clip(node.summary, DIGEST.summary));
  if (node.body) head.push('', full ? node.body.trim() : clip(node.body, DIGEST.body));
  return head;
};

const entry = (view: IndexedGraph, at: number, full: boolean, note?: string): {id: string; text: string} => {
  const n = view.nodeAt(at);
  const summary = n.summary
    ? ` — ${full ? n.summary.trim().replace(/\s+/g, ' ') : clip(n.summary.replace(/\s+/g, ' '), DIGEST.entrySummary)}`
    : '';
  const body = full && n.body ? `\n\n  ${n.body.trim().replace(/\n/g, '\n  ')}\n` : '';
  return {id: n.id, text: `- ${label(view, at)}: ${n.title}${note ? ` [${note}]` : ''}${summary}${body}`};
};

const titleLine = (view: IndexedGraph, at: number, how: string): {id: string; text: string} => ({
  id: view.slice.idAt(at),
  text: `- ${label(view, at)}: ${clip(view.slice.titleAt(at), DIGEST.entrySummary)} [${how}]`,
});

const compileNode = (view: IndexedGraph, id: string, full: boolean): Brief => {
  const at = view.slice.indexOf(id);
  if (at === undefined) {
    const guess = closest(
      id,
      Array.from({length: view.slice.size}, (_, i) => view.slice.idAt(i)),
    );
    throw new RefusalError(`no node '${id}'`, {
      code: 'E_NODE_UNKNOWN',
      hint: guess
        ? `did you mean '${guess}'? (several words search titles and summaries instead)`
        : 'several words search titles and summaries instead: spor brief "retry emails"',
    });
  }
  const steering = steeringFor(view, at);
  const g = gather(view, at, steering);
  // A digest shows a few entries per section: only their text is read from the log, in one pass.
  const some = <T>(list: Array<T>): Array<T> => (full ? list : list.slice(0, DIGEST.perSection));
  const node = view.nodeAt(at, [
    ...steering.corrections,
    ...steering.pinned,
    ...some(g.blockers),
    ...some(g.decisions).map((d) => d.at),
    ...some(g.norms),
    ...some(g.questions),
    ...(full ? g.related.map((r) => r.at) : []),
  ]);
  const section = <T>(
    key: string,
    heading: string,
    list: Array<T>,
    make: (item: T) => {id: string; text: string},
    notes?: Array<string>,
  ): BriefSection => ({key, heading, entries: some(list).map(make), total: list.length, ...(notes ? {notes} : {})});
  const sections: Array<BriefSection> = [
    ...steeringSections(view, steering, full),
    section('blockers', 'Open blockers', g.blockers, (b) => entry(view, b, full)),
    section('decisions', 'Decisions in force', g.decisions, (d) => entry(view, d.at, full, d.note), g.decisionNotes),
    section('norms', node.repo ? `Norms for ${node.repo}` : 'Norms', g.norms, (n) => entry(view, n, full)),
    section('questions', 'Open questions', g.questions, (q) => entry(view, q, full)),
    // Least important, so a digest keeps them to one line each.
    section('related', 'Related', g.related, (r) =>
      full ? entry(view, r.at, true, r.how) : titleLine(view, r.at, r.how),
    ),
  ];
  const {text, included} = render(
    headOf(view, at, node, full),
    sections,
    full ? undefined : DIGEST_BUDGET,
    `spor brief ${id} --full`,
  );
  return {node, text, size: Buffer.byteLength(text, 'utf8'), sections: {node: [id], ...included}};
};

/** Corrections in force for this briefing (their text in full: they are short, and binding), then what they pin. */
const steeringSections = (view: IndexedGraph, steering: Steering, full: boolean): Array<BriefSection> =>
  [
    {
      key: 'corrections',
      heading: 'Corrections (standing guidance from the graph)',
      entries: steering.corrections.map((c) => {
        const n = view.nodeAt(c);
        const body = n.body ? `\n  ${n.body.trim().replace(/\n/g, '\n  ')}` : '';
        return {
          id: n.id,
          text: `- ${n.id}: ${n.title}${n.summary ? ` — ${n.summary.trim().replace(/\s+/g, ' ')}` : ''}${body}`,
        };
      }),
    },
    {
      key: 'pinned',
      heading: 'Pinned by corrections',
      entries: steering.pinned.map((p) => entry(view, p, full)),
    },
  ].filter((section) => section.entries.length > 0);

const compileQuery = (view: IndexedGraph, query: string, full: boolean): Brief => {
  const steering = steeringFor(view, undefined);
  const limit = full ? FULL_MATCHES : DIGEST.matches;
  const hidden = steering.excluded.size + steering.corrections.length + steering.pinned.length;
  const matches = search(view, query, limit + hidden)
    .filter((m) => {
      const at = view.slice.indexOf(m.id) as number;
      return !steering.excluded.has(at) && !steering.corrections.includes(at) && !steering.pinned.includes(at);
    })
    .slice(0, limit);
  const head = [`# Nodes matching "${query}"`];
  if (matches.length === 0) head.push('', 'Nothing in the graph matches these words.');
  const sections: Array<BriefSection> = [
    ...(matches.length > 0 ? steeringSections(view, steering, full) : []),
    {
      key: 'matches',
      heading: 'Best matches',
      entries: matches.map((m) => entry(view, view.slice.indexOf(m.id) as number, full)),
    },
  ];
  const {text, included} = render(
    head,
    sections,
    full ? undefined : {bytes: BRIEF_DIGEST_BYTES, perSection: DIGEST.matches},
    `spor brief "${query}" --full`,
  );
  return {
    text,
    size: Buffer.byteLength(text, 'utf8'),
    sections: {
      matches: included.matches ?? [],
      ...(included.corrections?.length ? {corrections: included.corrections} : {}),
      ...(included.pinned?.length ? {pinned: included.pinned} : {}),
    },
  };
};

/** The default BRIEF_COMPILER. */
export const briefCompiler: BriefCompiler = {
  compile(graphView: GraphView, target: {id: string} | {query: string}, opts: BriefOptions): Brief {
    const view = IndexedGraph.of(graphView);
    return 'id' in target
      ? compileNode(view, target.id, opts.full === true)
      : compileQuery(view, target.query, opts.full === true);
  },
};
