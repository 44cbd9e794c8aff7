import type {GraphView} from '../api.js';

const STOP = new Set([
  'the',
  'an',
  'of',
  'to',
  'in',
  'for',
  'and',
  'or',
  'on',
  'with',
  'is',
  'are',
  'be',
  'it',
  'this',
  'that',
  'from',
  'by',
  'at',
  'as',
  'we',
  'our',
  'how',
  'what',
  'why',
  'do',
  'does',
  'not',
  'no',
  'into',
  'about',
]);

// A light stemmer: "pricing", "priced" and "prices" meet at "pric", "indexer" and "indexing" at
// "index". Good enough to match a sentence against titles; not a linguist.
const stem = (word: string): string => {
  for (const suffix of ['ings', 'ing', 'ers', 'er', 'ed', 'es', 's']) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
};

/** The distinct search terms of a text: lower-cased words of two or more characters, stemmed. */
export const terms = (text: string): Set<string> => {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w.length >= 2 && !STOP.has(w)) out.add(stem(w));
  return out;
};

export interface Match {
  id: string;
  score: number;
}

const TITLE_WEIGHT = 3;

/**
 * Nodes whose title and summary share the most terms with `query`: a term in the title counts
 * three times one in the summary. Unresolved nodes win ties (they are what an agent works
 * around), then smaller ids. Reads every node's summary, so it costs a pass over the log.
 */
export const search = (view: GraphView, query: string, limit: number): Array<Match> => {
  const wanted = terms(query);
  if (wanted.size === 0) return [];
  view.load();
  const matches: Array<Match & {open: boolean}> = [];
  for (const meta of view.nodes()) {
    const node = view.node(meta.id);
    if (!node) continue;
    const title = terms(`${node.id} ${node.title}`);
    const summary = terms(node.summary ?? '');
    let score = 0;
    for (const t of wanted) score += title.has(t) ? TITLE_WEIGHT : summary.has(t) ? 1 : 0;
    if (score > 0) matches.push({id: node.id, score, open: !view.isResolved(node.id)});
  }
  matches.sort((a, b) => b.score - a.score || Number(b.open) - Number(a.open) || (a.id < b.id ? -1 : 1));
  return matches.slice(0, limit).map(({id, score}) => ({id, score}));
};
