/** One section of a briefing: a heading, its entries (each owned by a node), and plain notes. */
export interface BriefSection {
  key: string;
  heading: string;
  entries: Array<{id: string; text: string}>;
  /** How many entries the section has in all, when `entries` holds only the first of them. */
  total?: number;
  notes?: Array<string>;
}

/** Cuts `text` to at most `max` characters at a word boundary, marking the cut with `…`. */
export const clip = (text: string, max: number): string => {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  // Never leave half a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
};

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export interface Rendered {
  text: string;
  included: Record<string, Array<string>>;
}

/** Digest limits: the byte budget, and how many entries one section may show. */
export interface Budget {
  bytes: number;
  perSection: number;
}

/**
 * Renders a briefing as markdown. Without a budget everything is written. With one, each section
 * shows at most `perSection` entries, and lines are taken in order while they fit (the head first,
 * then each section in turn, so the sections that come first matter most); a section that shows
 * less than it has says how many it left out, and a cut text ends with a pointer to `--full`. The
 * result never exceeds the budget.
 */
export const render = (
  head: Array<string>,
  sections: ReadonlyArray<BriefSection>,
  budget?: Budget,
  fullHint = '',
): Rendered => {
  const notice = `\n_(digest: some entries left out; ${fullHint} has everything)_\n`;
  const limit = budget === undefined ? Infinity : budget.bytes - bytes(notice);
  const lines: Array<string> = [];
  let used = 0;
  let cut = false;
  const add = (line: string): boolean => {
    const size = bytes(line) + 1;
    if (used + size > limit) {
      cut = true;
      return false;
    }
    lines.push(line);
    used += size;
    return true;
  };
  for (const line of head) if (!add(line)) break;
  const included: Record<string, Array<string>> = {};
  for (const s of sections) {
    included[s.key] = [];
    if (s.entries.length === 0 && (s.notes ?? []).length === 0) continue;
    if (!add('') || !add(`## ${s.heading}`)) continue;
    const room = Math.min(s.entries.length, budget?.perSection ?? Infinity);
    for (const e of s.entries.slice(0, room)) {
      if (!add(e.text)) break;
      included[s.key]?.push(e.id);
    }
    const left = (s.total ?? s.entries.length) - (included[s.key]?.length ?? 0);
    if (left > 0) {
      cut = true;
      add(`- … and ${left} more`);
    }
    for (const n of s.notes ?? []) add(n);
  }
  let text = `${lines.join('\n')}\n`;
  if (cut && budget !== undefined) text += notice;
  return {text, included};
};
