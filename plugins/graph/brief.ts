import {RefusalError} from '../../core/errors.js';
import {closest} from '../../core/suggest.js';
import {clip, render, type BriefSection} from './briefText.js';
import type {GraphNode} from './model.js';
import type {NodeMeta} from './projection.js';
import {isOutOfForce} from './rules.js';
import {search} from './search.js';
import {BRIEF_DIGEST_BYTES, type Brief, type BriefCompiler, type BriefOptions, type GraphView} from './tokens.js';

/** How much of each piece a digest keeps; `--full` keeps all of it. */
const DIGEST = {body: 900, summary: 400, entrySummary: 160, perSection: 6, matches: 10};
const FULL_MATCHES = 50;
const DIGEST_BUDGET = {bytes: BRIEF_DIGEST_BYTES, perSection: DIGEST.perSection};

/** In force: not withdrawn by its status, and no live `supersedes` edge points at it. */
const inForce = (view: GraphView, id: string): boolean =>
  !isOutOfForce(view.meta(id)?.status) && !view.inbound(id, 'supersedes').some((e) => view.isLive(e));

/**
 * The decisions in force that replaced `id`, following `supersedes` edges back from it (a chain
 * old → newer → newest ends at the newest in force).
 */
const successors = (view: GraphView, id: string): Array<string> => {
  const found: Array<string> = [];
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length > 0) {
    for (const e of view.inbound(queue.shift() as string, 'supersedes')) {
      if (!view.isLive(e) || seen.has(e.from)) continue;
      seen.add(e.from);
      if (inForce(view, e.from)) found.push(e.from);
      else queue.push(e.from);
    }
  }
  return found;
};

/**
 * Does `norm` apply to nodes of `repo`? A norm stamped with a repo applies to that repo only; a
 * norm with `applies_to_tags` applies only where the repo's `repo-<slug>` node carries one of the
 * tags (so an untagged repo gets only untagged norms); a norm with neither applies everywhere.
 */
export const normApplies = (view: GraphView, norm: NodeMeta, repo: string | undefined): boolean => {
  if (norm.repo !== undefined && norm.repo !== repo) return false;
  const wanted = norm.applies_to_tags ?? [];
  if (wanted.length === 0) return true;
  const tags = repo === undefined ? [] : view.meta(`repo-${repo}`)?.tags ?? [];
  return wanted.some((t) => tags.includes(t));
};

const label = (view: GraphView, n: NodeMeta): string => {
  const status = view.isResolved(n.id) ? `${n.status ?? 'resolved'}, resolved` : n.status;
  return `${n.id} (${n.type}${status ? `, ${status}` : ''})`;
};

/** The whole context of one node, gathered before any of it is written. */
interface Gathered {
  blockers: Array<string>;
  decisions: Array<{id: string; note?: string}>;
  decisionNotes: Array<string>;
  norms: Array<string>;
  questions: Array<string>;
  related: Array<{id: string; how: string}>;
}

const gather = (view: GraphView, node: GraphNode): Gathered => {
  const id = node.id;
  const links = new Map<string, Array<string>>();
  const link = (other: string, how: string): void => {
    if (other === id || view.meta(other) === undefined) return;
    const list = links.get(other);
    if (list) { if (!list.includes(how)) list.push(how); } else links.set(other, [how]);
  };
  for (const e of view.outbound(id)) link(e.to, e.type);
  for (const e of view.inbound(id)) link(e.from, `${e.type} (in)`);

  const blockers = view.openBlockers(id).map((b) => b.id);
  const taken = new Set([id, ...blockers]);
  const decisions: Gathered['decisions'] = [];
  const decisionNotes: Array<string> = [];
  const addDecision = (d: string, note?: string): void => {
    if (taken.has(d)) return;
    taken.add(d);
    decisions.push({id: d, note});
  };
  for (const [other] of links) {
    if (view.meta(other)?.type !== 'decision') continue;
    if (inForce(view, other)) { addDecision(other); continue; }
    taken.add(other);
    const newer = successors(view, other);
    if (newer.length > 0) {
      decisionNotes.push(`- ${other} is superseded by ${newer.join(', ')}; left out`);
      for (const n of newer) addDecision(n, `supersedes ${other}`);
    } else {
      decisionNotes.push(`- ${other} is no longer in force (${view.meta(other)?.status ?? 'superseded'}); left out`);
    }
  }
  const norms: Array<string> = [];
  for (const n of view.nodes('norm')) {
    if (taken.has(n.id) || !inForce(view, n.id)) continue;
    if (links.has(n.id) || normApplies(view, n, node.repo)) { norms.push(n.id); taken.add(n.id); }
  }
  const questions: Array<string> = [];
  for (const [other] of links) {
    if (taken.has(other) || view.meta(other)?.type !== 'question' || view.isResolved(other)) continue;
    questions.push(other);
    taken.add(other);
  }
  const related = [...links].filter(([other]) => !taken.has(other)).map(([other, how]) => ({id: other, how: how.join(', ')}));
  return {blockers, decisions, decisionNotes, norms, questions, related};
};

const headOf = (view: GraphView, node: GraphNode, full: boolean): Array<string> => {
  const resolution = view.resolution(node.id);
  const readiness = view.readiness(node.id);
  const facts = [node.type, node.status ?? 'no status', node.priority ?? 'no priority', node.repo ? `repo ${node.repo}` : 'no repo',
    `readiness ${readiness.readiness} (${readiness.reasons.join('; ')})`];
  const head = [`# ${node.id}: ${node.title}`, facts.join(' · ')];
  if (resolution) head.push(resolution.by === 'status' ? `Already resolved: status ${resolution.status}.` : `Already resolved: ${resolution.from} ${resolution.type} it.`);
  if (node.summary) head.push('', full ? node.summary.trim() : clip(node.summary, DIGEST.summary));
  if (node.body) head.push('', full ? node.body.trim() : clip(node.body, DIGEST.body));
  return head;
};

const entry = (view: GraphView, id: string, full: boolean, note?: string): {id: string; text: string} => {
  const n = view.node(id) as GraphNode;
  const summary = n.summary ? ` — ${full ? n.summary.trim().replace(/\s+/g, ' ') : clip(n.summary.replace(/\s+/g, ' '), DIGEST.entrySummary)}` : '';
  const body = full && n.body ? `\n\n  ${n.body.trim().replace(/\n/g, '\n  ')}\n` : '';
  return {id, text: `- ${label(view, n)}: ${n.title}${note ? ` [${note}]` : ''}${summary}${body}`};
};

const titleLine = (view: GraphView, id: string, how: string): {id: string; text: string} => {
  const n = view.meta(id) as NodeMeta;
  return {id, text: `- ${label(view, n)}: ${clip(n.title, DIGEST.entrySummary)} [${how}]`};
};

const compileNode = (view: GraphView, id: string, full: boolean): Brief => {
  const node = view.node(id);
  if (!node) {
    const guess = closest(id, view.nodes().map((n) => n.id));
    throw new RefusalError(`no node '${id}'`, {code: 'E_NODE_UNKNOWN',
      hint: guess ? `did you mean '${guess}'? (several words search titles and summaries instead)` : 'several words search titles and summaries instead: spor brief "retry emails"'});
  }
  const g = gather(view, node);
  // A digest shows a few entries per section: only their text is read from the log.
  const some = <T>(list: Array<T>): Array<T> => (full ? list : list.slice(0, DIGEST.perSection));
  view.load([...some(g.blockers), ...some(g.decisions).map((d) => d.id), ...some(g.norms), ...some(g.questions), ...(full ? g.related.map((r) => r.id) : [])]);
  const section = <T>(key: string, heading: string, list: Array<T>, make: (item: T) => {id: string; text: string}, notes?: Array<string>): BriefSection =>
    ({key, heading, entries: some(list).map(make), total: list.length, ...(notes ? {notes} : {})});
  const sections: Array<BriefSection> = [
    section('blockers', 'Open blockers', g.blockers, (b) => entry(view, b, full)),
    section('decisions', 'Decisions in force', g.decisions, (d) => entry(view, d.id, full, d.note), g.decisionNotes),
    section('norms', node.repo ? `Norms for ${node.repo}` : 'Norms', g.norms, (n) => entry(view, n, full)),
    section('questions', 'Open questions', g.questions, (q) => entry(view, q, full)),
    // Least important, so a digest keeps them to one line each.
    section('related', 'Related', g.related, (r) => (full ? entry(view, r.id, true, r.how) : titleLine(view, r.id, r.how))),
  ];
  const {text, included} = render(headOf(view, node, full), sections, full ? undefined : DIGEST_BUDGET, `spor brief ${id} --full`);
  return {node, text, size: Buffer.byteLength(text, 'utf8'), sections: {node: [id], ...included}};
};

const compileQuery = (view: GraphView, query: string, full: boolean): Brief => {
  const matches = search(view, query, full ? FULL_MATCHES : DIGEST.matches);
  const head = [`# Nodes matching "${query}"`];
  if (matches.length === 0) head.push('', 'Nothing in the graph matches these words.');
  const sections: Array<BriefSection> = [{key: 'matches', heading: 'Best matches', entries: matches.map((m) => entry(view, m.id, full))}];
  const {text, included} = render(head, sections, full ? undefined : {bytes: BRIEF_DIGEST_BYTES, perSection: DIGEST.matches}, `spor brief "${query}" --full`);
  return {text, size: Buffer.byteLength(text, 'utf8'), sections: {matches: included.matches ?? []}};
};

/** The default BRIEF_COMPILER. */
export const briefCompiler: BriefCompiler = {
  compile(view: GraphView, target: {id: string} | {query: string}, opts: BriefOptions): Brief {
    return 'id' in target ? compileNode(view, target.id, opts.full === true) : compileQuery(view, target.query, opts.full === true);
  },
};
