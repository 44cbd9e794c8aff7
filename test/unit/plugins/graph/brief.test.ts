import type {EventDraft} from '../../../../core/events.js';
import {describe, expect, it} from 'vitest';
import {briefCompiler, normApplies} from '../../../../plugins/graph/brief/brief.js';
import {BRIEF_DIGEST_BYTES} from '../../../../plugins/graph/api.js';
import {NOW, fixtureGraph, graphOf} from './fixture.js';

const brief = (id: string, full = false) => briefCompiler.compile(fixtureGraph().view, {id}, {now: NOW, full});

describe('briefing a node', () => {
  it('gathers its blockers, decisions in force, norms, open questions and other links', () => {
    const b = brief('task-blocked');
    expect(b.node?.id).toBe('task-blocked');
    expect(b.sections).toEqual({
      node: ['task-blocked'],
      blockers: ['task-blocker'],
      decisions: ['decision-new'],
      norms: ['norm-global', 'norm-node', 'norm-web'],
      questions: ['question-open'],
      related: ['task-chain', 'finding-drift'],
    });
    expect(b.text).toContain('# task-blocked: Rewrite the indexer');
    expect(b.text).toContain(
      '- task-blocker (task, open): Land the schema migration — The indexer rewrite reads the new schema, so this lands first.',
    );
    expect(b.size).toBe(Buffer.byteLength(b.text));
  });

  it('leaves superseded decisions out and says what superseded them', () => {
    const b = brief('task-blocked');
    expect(b.text).toContain('decision-old is superseded by decision-new; left out');
    expect(b.text).toContain('- decision-new (decision, active): Index with Tantivy [supersedes decision-old]');
    expect(b.text).not.toMatch(/- decision-old \(/);
  });

  it('says so when a linked decision is no longer in force', () => {
    const b = brief('task-still-open');
    expect(b.sections.decisions).toEqual([]);
    expect(b.text).toContain('decision-rejected is no longer in force (rejected); left out');
  });

  it('gives an untagged repo only untagged norms', () => {
    expect(brief('task-still-open').sections.norms).toEqual(['norm-global']);
  });

  it('says when the node is already resolved', () => {
    expect(brief('task-lagging').text).toContain('Already resolved: decision-region resolves it.');
  });

  it('refuses an unknown id, suggesting the closest one', () => {
    expect(() => brief('task-blockr')).toThrow(/no node 'task-blockr'/);
    try {
      brief('task-blockr');
    } catch (e) {
      expect((e as {hint?: string}).hint).toContain(`did you mean 'task-blocker'`);
    }
  });
});

describe('norms and repo tags', () => {
  const {view} = fixtureGraph();
  const norm = (id: string) => view.meta(id)!;
  it.each([
    ['norm-global', 'web', true],
    ['norm-global', 'api', true],
    ['norm-global', undefined, true],
    ['norm-web', 'web', true],
    ['norm-web', 'api', false],
    ['norm-node', 'web', true],
    ['norm-node', 'api', false],
    ['norm-node', undefined, false],
    ['norm-python', 'web', false],
  ])('%s applies to repo %s: %s', (id, repo, applies) => {
    expect(normApplies(view, norm(id), repo)).toBe(applies);
  });
});

describe('digest and full', () => {
  const big = (n: number) => Array.from({length: n}, (_, i) => `word${i}`).join(' ');
  const node = (id: string, type: string, more: Record<string, unknown> = {}) => ({
    type: 'node-added',
    data: {
      node: {
        id,
        type,
        title: `${id} ${big(12)}`,
        created: '2026-06-01',
        repo: 'web',
        summary: big(120),
        body: big(2000),
        ...more,
      },
    },
  });
  const edge = (from: string, type: string, to: string) => ({type: 'edge-added', data: {edge: {from, type, to}}});
  const drafts: Array<EventDraft> = [node('task-hub', 'task')];
  for (let i = 0; i < 30; i += 1) {
    drafts.push(node(`task-b${i}`, 'task'), edge(`task-b${i}`, 'blocks', 'task-hub'));
    drafts.push(node(`decision-d${i}`, 'decision'), edge('task-hub', 'constrained-by', `decision-d${i}`));
    drafts.push(node(`norm-n${i}`, 'norm'));
  }

  it('a digest stays within 4 KiB and says what it left out', () => {
    const {view, source} = graphOf(drafts);
    const b = briefCompiler.compile(view, {id: 'task-hub'}, {now: NOW});
    expect(b.size).toBeLessThanOrEqual(BRIEF_DIGEST_BYTES);
    expect(b.text).toMatch(/- … and \d+ more/);
    expect(b.text).toContain('spor brief task-hub --full has everything');
    // Only the entries a digest can show have their text read.
    expect(new Set(source.asked).size).toBeLessThan(40);
  });

  it('--full includes everything, bodies too', () => {
    const {view} = graphOf(drafts);
    const b = briefCompiler.compile(view, {id: 'task-hub'}, {now: NOW, full: true});
    expect(b.sections.blockers).toHaveLength(30);
    expect(b.sections.decisions).toHaveLength(30);
    expect(b.sections.norms).toHaveLength(30);
    expect(b.text).toContain(big(2000));
    expect(b.size).toBeGreaterThan(30 * 2000 * 4);
  });
});

describe('free-text queries', () => {
  const {view} = fixtureGraph();
  it('finds the nodes whose titles and summaries match best', () => {
    const b = briefCompiler.compile(view, {query: 'indexer schema migration'}, {now: NOW});
    expect(b.node).toBeUndefined();
    expect(b.sections.matches?.slice(0, 2)).toEqual(['task-blocker', 'task-blocked']);
    expect(b.text).toContain('# Nodes matching "indexer schema migration"');
  });
  it('stems words, so "indexing" finds the indexer', () => {
    expect(briefCompiler.compile(view, {query: 'indexing'}, {now: NOW}).sections.matches).toContain('task-blocked');
  });
  it('says when nothing matches', () => {
    const b = briefCompiler.compile(view, {query: 'kubernetes autoscaler'}, {now: NOW});
    expect(b.sections.matches).toEqual([]);
    expect(b.text).toContain('Nothing in the graph matches these words.');
  });
});
