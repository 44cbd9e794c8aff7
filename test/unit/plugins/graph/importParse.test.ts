import {join} from 'node:path';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import {
  parseNodeFile,
  quotePlainValues,
  splitFrontmatter,
  type ParsedNode,
} from '../../../../plugins/graph/import/parse.js';
import {FIXTURES, parseDir} from './fixture.js';

const read = (text: string) => parseNodeFile('x.md', text, (s) => parse(s));
const ok = (text: string): ParsedNode => {
  const r = read(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('reading a node file', () => {
  it('maps project to repo and date to created, keeps unknown keys in extra and the body below', () => {
    const p = ok(
      '---\nid: task-a\ntype: task\nproject: alpha\ntitle: Land it\nsummary: Short.\nstatus: open\npriority: p2\ndate: 2026-05-01\npriority_by: Dana\nqueue_mute: [x, y]\n---\n\nThe body.\n',
    );
    expect(p.node).toEqual({
      id: 'task-a',
      type: 'task',
      title: 'Land it',
      summary: 'Short.',
      status: 'open',
      priority: 'p2',
      repo: 'alpha',
      created: '2026-05-01',
      extra: {priority_by: 'Dana', queue_mute: ['x', 'y']},
      body: 'The body.',
    });
    expect(p.notes).toEqual([]);
  });

  it('reads edges written as flow maps, with extra keys as string attributes', () => {
    const p = ok(
      '---\nid: task-a\ntype: task\ntitle: A\nedges:\n  - {type: assigned, to: agent-b, profile: profile-x, weight: 2}\n  - {type: derived-from, to: ghost}\n---\n',
    );
    expect(p.edges).toEqual([
      {from: 'task-a', type: 'assigned', to: 'agent-b', attrs: {profile: 'profile-x', weight: '2'}},
      {from: 'task-a', type: 'derived-from', to: 'ghost'},
    ]);
  });

  it('keeps values it cannot use in extra and says so; leaves out edges with no target', () => {
    const p = ok(
      '---\nid: task-a\ntype: task\ntitle: A\npriority: urgent\nrequires: human, browser\nedges:\n  - {type: relates-to}\n---\n',
    );
    expect(p.node.priority).toBeUndefined();
    expect(p.node.extra).toEqual({priority: 'urgent'});
    expect(p.node.requires).toEqual(['human', 'browser']);
    expect(p.edges).toEqual([]);
    expect(p.notes).toEqual([
      `'priority' is not one of p1, p2, p3; kept in extra`,
      'edge 1 needs a type and a to; left out',
    ]);
  });

  it('reads unquoted values that strict YAML refuses (colons, a leading |) as their author meant', () => {
    const p = ok(
      '---\nid: task-a\ntype: task\ntitle: Retry: the sequel\nsummary: | not a block\n  and more\nedges:\n  - {type: blocks, to: task-b}\n---\n',
    );
    expect(p.node).toMatchObject({title: 'Retry: the sequel', summary: '| not a block and more'});
    expect(p.edges).toHaveLength(1);
    expect(p.notes[0]).toMatch(/^the frontmatter is not strict YAML/);
    expect(quotePlainValues('a: [x, y]\nb: "q"\nc: 3\nd: |\n  block')).toBe('a: [x, y]\nb: "q"\nc: 3\nd: |\n  block');
  });

  it('stands the id in for a missing title', () => {
    expect(ok('---\nid: task-a\ntype: task\n---\n').node.title).toBe('task-a');
  });

  it.each([
    ['no frontmatter', '# hello\n', /no frontmatter/],
    ['an unclosed frontmatter', '---\nid: a\n', /not closed/],
    [
      'invalid YAML',
      '---\nid: task-a\ntype: task\nedges:\n  - {type: blocks, to: b\n---\n',
      /not valid YAML: Flow map/,
    ],
    ['duplicate keys', '---\nid: task-a\nid: task-b\ntype: task\n---\n', /not valid YAML: Map keys must be unique/],
    ['no id', '---\ntype: task\n---\n', /no 'id'/],
    ['an id with path characters', '---\nid: ../x\ntype: task\n---\n', /contains path characters/],
    ['an id that is not kebab-case', '---\nid: Task_A\ntype: task\n---\n', /not kebab-case/],
    ['no type', '---\nid: task-a\n---\n', /no 'type'/],
    ['a list as frontmatter', '---\n- a\n- b\n---\n', /not a mapping/],
  ])('refuses a file with %s', (_what, text, reason) => {
    const r = read(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('splits CRLF files and ignores a BOM', () => {
    expect(splitFrontmatter('\uFEFF---\r\nid: a\r\n---\r\nbody\r\n')).toEqual({front: 'id: a', body: 'body'});
  });

  it('reads every fixture node, and only the broken fixtures fail', () => {
    expect(parseDir(join(FIXTURES, 'nodes')).filter((p) => !p.ok)).toEqual([]);
    const broken = parseDir(join(FIXTURES, 'broken'));
    expect(
      broken
        .filter((p) => p.ok)
        .map((p) => p.ok && p.value.node.id)
        .sort(),
    ).toEqual(['task-also-good', 'task-good']);
  });
});
