import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {planImport} from '../../../../plugins/graph/import/plan.js';
import {FIXTURES, NOW, fixtureGraph, graphOf, parseDir} from './fixture.js';

const files = () => parseDir(join(FIXTURES, 'nodes'));
const later = '2026-08-01T00:00:00.000Z';

describe('planning an import', () => {
  it('adds every node before any edge, so edges never precede their nodes', () => {
    const {plan} = fixtureGraph();
    const types = plan.drafts.map((d) => d.type);
    expect(types.filter((t) => t === 'node-added')).toHaveLength(30);
    expect(types.lastIndexOf('node-added')).toBeLessThan(types.indexOf('edge-added'));
    expect(plan.files.every((f) => f.outcome === 'imported')).toBe(true);
  });

  it('plans nothing when the same files come again', () => {
    const {view} = fixtureGraph();
    const again = planImport(files(), view, later);
    expect(again.drafts).toEqual([]);
    expect(new Set(again.files.map((f) => f.outcome))).toEqual(new Set(['unchanged']));
  });

  it('updates the fields a file changes and adds the edges it gained, leaving other fields alone', () => {
    const {plan} = fixtureGraph();
    const {view} = graphOf([...plan.drafts, {type: 'node-updated', data: {id: 'task-free', set: {priority: 'p1'}}}]);
    const changed = files().map((p) => {
      if (!p.ok || p.value.node.id !== 'task-free') return p;
      return {
        ok: true as const,
        value: {
          ...p.value,
          node: {...p.value.node, title: 'Write the release notes for 2.0', summary: 'New.'},
          edges: [{from: 'task-free', type: 'relates-to', to: 'issue-flaky'}],
        },
      };
    });
    const again = planImport(changed, view, later);
    expect(again.drafts).toEqual([
      {type: 'node-updated', data: {id: 'task-free', set: {title: 'Write the release notes for 2.0', summary: 'New.'}}},
      {type: 'edge-added', data: {edge: {from: 'task-free', type: 'relates-to', to: 'issue-flaky'}}},
    ]);
    expect(again.files.find((f) => f.id === 'task-free')).toMatchObject({
      outcome: 'updated',
      changes: ['title', 'summary', '+1 edge'],
    });
  });

  it('stamps now as created when a file has no date', () => {
    const plan = planImport(parseDir(join(FIXTURES, 'broken')), graphOf([]).view, later);
    const good = plan.drafts.find(
      (d) => d.type === 'node-added' && (d.data as {node: {id: string}}).node.id === 'task-good',
    );
    expect((good?.data as {node: {created: string}}).node.created).toBe(later);
  });

  it('skips a second file with an id already in the import, naming the first', () => {
    const twice = [
      ...files(),
      ...files()
        .filter((p) => p.ok && p.value.node.id === 'task-free')
        .map((p) => (p.ok ? {...p, value: {...p.value, file: 'copy/task-free.md'}} : p)),
    ];
    const plan = planImport(twice, graphOf([]).view, NOW.toISOString());
    expect(plan.files.at(-1)).toEqual({
      file: 'copy/task-free.md',
      id: 'task-free',
      outcome: 'skipped',
      reason: `id 'task-free' is also in task-free.md, which was imported`,
    });
  });
});
