import {NODE_ID, PRIORITIES, type GraphEdge, type GraphNode} from '../model/model.js';

/** A YAML parser (the `yaml` package's `parse`, loaded only when an import runs). */
export type YamlParse = (source: string) => unknown;

/** One markdown file read as a node: what to import, plus notes on what was kept aside. */
export interface ParsedNode {
  file: string;
  /** The node as the file describes it; `created` is empty when the file has no date. */
  node: GraphNode;
  edges: Array<GraphEdge>;
  notes: Array<string>;
}

export type Parsed = {ok: true; value: ParsedNode} | {ok: false; file: string; reason: string};

/** Types and edge types may be anything spor does not act on, but one kebab-ish word each. */
const TYPE_WORD = /^[a-z][a-z0-9_-]*$/;

const LIST_FIELDS = ['requires', 'tags', 'applies_to_tags', 'mcp', 'skills', 'plugins'] as const;
const TEXT_FIELDS = [
  'summary',
  'status',
  'wake',
  'email',
  'identity',
  'pubkey',
  'harness',
  'model',
  'posture',
] as const;
// Keys read into fields of their own (or into the node's identity); every other key goes to `extra`.
const CLAIMED = new Set<string>([
  'id',
  'type',
  'title',
  'priority',
  'repo',
  'project',
  'readiness',
  'date',
  'created',
  'edges',
  ...LIST_FIELDS,
  ...TEXT_FIELDS,
]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A scalar as text; undefined for null and for anything that is not a scalar. */
const scalar = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
};

/** A list of words: a YAML list of scalars, or one comma-separated string. */
const words = (v: unknown): Array<string> | undefined => {
  const items = Array.isArray(v)
    ? v.map(scalar)
    : typeof v === 'string'
      ? v.split(',').map((s) => s.trim())
      : [scalar(v)];
  if (items.some((i) => i === undefined)) return undefined;
  return [...new Set(items as Array<string>)].filter((i) => i !== '');
};

/** Splits `---` frontmatter from the markdown body; a string says what is wrong. */
export const splitFrontmatter = (text: string): {front: string; body: string} | string => {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines[0]?.trim() !== '---') return 'no frontmatter (the file must start with a --- line)';
  const close = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (close === -1) return 'the frontmatter is not closed (no second --- line)';
  return {
    front: lines.slice(1, close).join('\n'),
    body: lines
      .slice(close + 1)
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd(),
  };
};

const SAFE_PLAIN = /^(?:[-+]?\d+(?:\.\d+)?|true|false|null|~)$/;
/** A flow list or map, or a quoted string, as a whole value. */
const STRUCTURED = /^(?:\[.*\]|\{.*\}|".*"|'.*')$/;
/** `|`, `>-`, `|2` …: a block scalar follows on the next lines (`| text` on one line is just text). */
const BLOCK_HEADER = /^[|>][-+0-9]*\s*(?:#.*)?$/;

/**
 * Real graphs are written by tools that do not quote their values, so a title such as
 * `Retry: the sequel` or one starting with a backtick is not valid YAML. This re-writes every
 * top-level plain value (with its indented continuation lines) as a double-quoted string, to
 * read such a file as its author meant; lists, flow maps, quoted and block values are untouched.
 */
export const quotePlainValues = (front: string): string => {
  const lines = front.split('\n');
  const out: Array<string> = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const m = /^([A-Za-z_][\w.-]*):[ \t]+(\S.*)$/.exec(line);
    const value = m?.[2]?.trim() ?? '';
    if (!m || STRUCTURED.test(value) || BLOCK_HEADER.test(value) || SAFE_PLAIN.test(value)) {
      out.push(line);
      continue;
    }
    let text = value;
    while (
      i + 1 < lines.length &&
      /^[ \t]+\S/.test(lines[i + 1] as string) &&
      !/^[ \t]+- /.test(lines[i + 1] as string)
    ) {
      i += 1;
      text += ` ${(lines[i] as string).trim()}`;
    }
    out.push(`${m[1]}: ${JSON.stringify(text)}`);
  }
  return out.join('\n');
};

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';

/** Strict YAML first; a file that is not, read again with its plain values quoted (and a note). */
const readYaml = (front: string, parseYaml: YamlParse, notes: Array<string>): {data: unknown} | {error: string} => {
  try {
    return {data: parseYaml(front)};
  } catch (strict) {
    try {
      const data = parseYaml(quotePlainValues(front));
      notes.push(
        `the frontmatter is not strict YAML (${firstLine(strict).replace(/:$/, '')}); its values were read as plain text`,
      );
      return {data};
    } catch {
      return {error: `the frontmatter is not valid YAML: ${firstLine(strict).replace(/:$/, '')}`};
    }
  }
};

const readEdges = (raw: unknown, notes: Array<string>): Array<GraphEdge> => {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    notes.push(`'edges' is not a list; no edges imported`);
    return [];
  }
  const edges = new Map<string, GraphEdge>();
  raw.forEach((item, i) => {
    const type = isRecord(item) ? scalar(item.type)?.toLowerCase() : undefined;
    const to = isRecord(item) ? scalar(item.to) : undefined;
    if (!isRecord(item) || type === undefined || to === undefined) {
      notes.push(`edge ${i + 1} needs a type and a to; left out`);
      return;
    }
    if (!TYPE_WORD.test(type)) {
      notes.push(`edge ${i + 1} has an invalid type '${type}'; left out`);
      return;
    }
    if (!NODE_ID.test(to)) {
      notes.push(`edge ${i + 1} points at '${to}', which is not a node id; left out`);
      return;
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(item)) {
      if (k === 'type' || k === 'to' || v === null || v === undefined) continue;
      attrs[k] = scalar(v) ?? JSON.stringify(v);
    }
    edges.set(`${type} ${to}`, {from: '', type, to, ...(Object.keys(attrs).length > 0 ? {attrs} : {})});
  });
  return [...edges.values()];
};

/**
 * Reads one Spor-format markdown node: YAML frontmatter (`id`, `type`, `title`, `summary`,
 * `status`, `priority`, `repo` or `project`, `requires`, `edges: [{type, to, ...}]`, `date`, …) and
 * the body below it. Keys spor does not know are kept in `extra`; a known key with a value spor
 * cannot use is kept there too, with a note. Only a file spor cannot read as a node is refused.
 */
export const parseNodeFile = (file: string, text: string, parseYaml: YamlParse): Parsed => {
  const fail = (reason: string): Parsed => ({ok: false, file, reason});
  const split = splitFrontmatter(text);
  if (typeof split === 'string') return fail(split);
  const notes: Array<string> = [];
  const read = readYaml(split.front, parseYaml, notes);
  if ('error' in read) return fail(read.error);
  const data = read.data;
  if (!isRecord(data)) return fail('the frontmatter is not a mapping of keys to values');
  const id = scalar(data.id);
  if (id === undefined || id === '') return fail(`no 'id'`);
  if (/[/\\\0]|\.\./.test(id)) return fail(`id '${id}' contains path characters`);
  if (!NODE_ID.test(id)) return fail(`id '${id}' is not kebab-case (lower-case letters, digits and dashes)`);
  const type = scalar(data.type)?.toLowerCase();
  if (type === undefined || type === '') return fail(`no 'type'`);
  if (!TYPE_WORD.test(type)) return fail(`type '${type}' is not a kebab-case word`);

  const extra: Record<string, unknown> = {};
  const keepAside = (key: string, why: string): void => {
    extra[key] = data[key];
    notes.push(`'${key}' ${why}; kept in extra`);
  };
  const title = scalar(data.title);
  const node: GraphNode = {id, type, title: title !== undefined && title !== '' ? title : id, created: ''};
  if (title === undefined || title === '') notes.push(`no title; the id stands in for it`);
  for (const key of TEXT_FIELDS) {
    if (data[key] === undefined || data[key] === null) continue;
    const v = scalar(data[key]);
    if (v === undefined) keepAside(key, 'is not a single value');
    else if (v !== '') node[key] = v;
  }
  for (const key of LIST_FIELDS) {
    if (data[key] === undefined || data[key] === null) continue;
    const v = words(data[key]);
    if (v === undefined) keepAside(key, 'is not a list of words');
    else if (v.length > 0) node[key] = v;
  }
  if (data.priority !== undefined && data.priority !== null) {
    const p = scalar(data.priority)?.toLowerCase();
    if (p !== undefined && (PRIORITIES as ReadonlyArray<string>).includes(p))
      node.priority = p as GraphNode['priority'];
    else keepAside('priority', `is not one of ${PRIORITIES.join(', ')}`);
  }
  if (data.readiness !== undefined && data.readiness !== null) {
    if (scalar(data.readiness) === 'agent') node.readiness = 'agent';
    else keepAside('readiness', `is not 'agent'`);
  }
  const repo = scalar(data.repo ?? data.project);
  if (repo) node.repo = repo;
  const created = scalar(data.date ?? data.created);
  if (created) node.created = created;
  for (const [key, value] of Object.entries(data)) if (!CLAIMED.has(key)) extra[key] = value;
  if (Object.keys(extra).length > 0) node.extra = extra;
  if (split.body !== '') node.body = split.body;
  const edges = readEdges(data.edges, notes).map((e) => ({...e, from: id}));
  return {ok: true, value: {file, node, edges, notes}};
};
