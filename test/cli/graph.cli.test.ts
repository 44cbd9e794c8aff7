import {mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

// Real graphs in the Spor node format, written by another project (see ../shared/interop/README.md).
const GRAPHS = '/work/shared/interop/spor-graphs';
const graph = (name: string): string => join(GRAPHS, name);

interface QueueJson {
  items: Array<{
    id: string;
    type: string;
    title: string;
    repo: string | null;
    priority: string | null;
    score: number;
    readiness: string;
    why: string;
  }>;
  counts: {open: number; shown: number; blocked: number; dormant: number; filtered: number};
}

// The tests that only read a graph share one import of it per file: importing the 343-node
// graph is the costliest spor command here, and nothing they run changes the graph.
const sharedHomes = new Map<string, Promise<string>>();
const imported = (name: string): Promise<string> => {
  let home = sharedHomes.get(name);
  if (!home) {
    home = (async () => {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), 'spor-graph-')));
      const r = await runSpor(['import', graph(name)], {home: dir});
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      return dir;
    })();
    sharedHomes.set(name, home);
  }
  return home;
};
afterAll(async () => {
  for (const home of sharedHomes.values()) rmSync(await home, {recursive: true, force: true});
});

const json = async <T>(home: string, args: Array<string>): Promise<T> => {
  const r = await runSpor([...args, '--json'], {home});
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as T;
};

describe('the queue graph', () => {
  it('imports whole, in one batch, and importing it again appends nothing', async () => {
    const {home} = tempHome();
    const first = await runSpor(['import', graph('queue')], {home});
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(
      /10 files: 10 imported, 0 updated, 0 unchanged, 0 skipped; 16 events appended in one batch/,
    );
    const log = readLog(home) as Array<{seq: number; b?: number}>;
    expect(log.slice(0, -1).every((e) => e.b === log.at(-1)?.seq)).toBe(true);
    const again = await runSpor(['import', graph('queue')], {home});
    expect(again.stdout).toContain('10 files: 0 imported, 0 updated, 10 unchanged, 0 skipped; nothing appended');
    expect(readLog(home)).toHaveLength(log.length);
  });

  it('next: the resolved task is gone, the blocked one hidden and counted, the unblocker first', async () => {
    const home = await imported('queue');
    const q = await json<QueueJson>(home, ['next']);
    const ids = q.items.map((i) => i.id);
    expect(ids).not.toContain('task-resolved');
    expect(ids).not.toContain('task-blocked');
    expect(q.counts).toMatchObject({open: 7, blocked: 1, dormant: 0, filtered: 0, shown: 6});
    expect(ids[0]).toBe('task-unblocker');
    expect(q.items[0]).toMatchObject({priority: 'p2', repo: 'alpha', readiness: 'untriaged'});
    expect(q.items[0]?.why).toMatch(/^p2 · unblocks 1 · \d+ days old$/);
    // The unprioritised rest, oldest first: the capture awaiting triage (a human's) and the
    // finding are ranked too, as the reference queue ranks them (issue 12.8).
    expect(ids.slice(1)).toEqual(['task-stale', 'task-muted', 'task-front', 'cap-triage', 'finding-open']);
    expect(q.items.find((i) => i.id === 'cap-triage')?.readiness).toBe('human');
    expect((await json<QueueJson>(home, ['next', '--repo', 'alpha'])).items.map((i) => i.id)).toEqual([
      'task-unblocker',
      'task-stale',
      'finding-open',
    ]);
  });

  it('get shows why a node is resolved, and keeps inert edges to missing nodes', async () => {
    const home = await imported('queue');
    const resolved = await json<{resolved: boolean; resolution: unknown}>(home, ['get', 'task-resolved']);
    expect(resolved).toMatchObject({
      resolved: true,
      resolution: {by: 'edge', type: 'resolves', from: 'dec-resolution'},
    });
    const text = await runSpor(['get', 'task-stale'], {home});
    expect(text.stdout).toContain("derived-from → ghost-decision  (inert; no node 'ghost-decision')");
    const person = await json<{node: {extra: Record<string, unknown>}; inert: boolean}>(home, ['get', 'person-viewer']);
    expect(person.node.extra.queue_mute).toEqual(['muteproj', 'task-front@2099-01-01', 'task-stale@2000-01-01']);
    expect(person.inert).toBe(false);
  });

  it('brief names the open blocker of the blocked task', async () => {
    const home = await imported('queue');
    const b = await json<{sections: Record<string, Array<string>>; text: string}>(home, ['brief', 'task-blocked']);
    expect(b.sections.blockers).toEqual(['task-unblocker']);
    expect(b.text).toContain('## Open blockers\n- task-unblocker (task, open): Land the schema migration');
  });
});

describe('the pricing graph', () => {
  it('brief of the rollout: the new decision in force, not the superseded one; the norm; the open question', async () => {
    const home = await imported('pricing');
    const b = await json<{sections: Record<string, Array<string>>; text: string; size: number}>(home, [
      'brief',
      'task-pricing-rollout',
    ]);
    expect(b.sections).toMatchObject({
      decisions: ['dec-new'],
      norms: ['norm-pricing-review'],
      // corr-pricing-rollout pins the open question (issue 12.7).
      pinned: ['q-tier-pricing'],
      questions: [],
      blockers: [],
    });
    expect(b.sections.related).toContain('spec-rc');
    expect(b.text).not.toContain('dec-old');
    expect(b.size).toBeLessThanOrEqual(4096);
  });

  it('brief of a node linked to the superseded decision says what superseded it', async () => {
    const home = await imported('pricing');
    // spec-rc is what both decisions derive from.
    const b = await json<{sections: Record<string, Array<string>>; text: string}>(home, ['brief', 'spec-rc']);
    expect(b.sections.decisions).toEqual(['dec-new']);
    expect(b.text).toContain('dec-old is superseded by dec-new; left out');
  });

  it('free text finds the pricing decision and the rollout first', async () => {
    const home = await imported('pricing');
    const b = await json<{sections: {matches: Array<string>}}>(home, ['brief', 'vendor neutral pricing']);
    expect(b.sections.matches.slice(0, 2).sort()).toEqual(['dec-new', 'task-pricing-rollout']);
  });

  it('next queues the open question (for a human) and the rollout, nothing else', async () => {
    const home = await imported('pricing');
    const q = await json<QueueJson>(home, ['next']);
    expect(q.items.map((i) => [i.id, i.readiness]).sort()).toEqual([
      ['q-tier-pricing', 'human'],
      // The open tier question relates to it, one hop away: it needs a human first (issue 12.8).
      ['task-pricing-rollout', 'human'],
    ]);
  });
});

describe('the live-shape graph (343 nodes)', () => {
  const dir = graph('live-shape');
  const statusOf = new Map(
    readdirSync(dir).map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return [/^id: (.+)$/m.exec(text)?.[1] ?? f, /^status: (.+)$/m.exec(text)?.[1]];
    }),
  );

  it('imports every file, in one batch, with a note for files that are not strict YAML', async () => {
    const {home} = tempHome();
    const r = await runSpor(['import', dir], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /343 files: 343 imported, 0 updated, 0 unchanged, 0 skipped; \d+ events appended in one batch/,
    );
    expect(r.stdout).toContain('note: the frontmatter is not strict YAML');
    const again = await runSpor(['import', dir], {home});
    expect(again.stdout).toContain('343 files: 0 imported, 0 updated, 343 unchanged, 0 skipped; nothing appended');
  });

  it('next ranks only open work, the two p1 tasks first, and hides what is blocked', async () => {
    const home = await imported('live-shape');
    const q = await json<QueueJson>(home, ['next', '--limit', '0']);
    expect(q.items.length).toBe(q.counts.shown);
    expect(q.counts.blocked).toBeGreaterThan(0);
    const terminal = new Set([
      'done',
      'resolved',
      'answered',
      'closed',
      'completed',
      'abandoned',
      'rejected',
      'superseded',
      'merged',
      'retired',
      'dismissed',
      'deprecated',
    ]);
    for (const item of q.items) {
      expect(['task', 'issue', 'question', 'finding', 'capture-pending']).toContain(item.type);
      expect(terminal.has(statusOf.get(item.id) ?? '')).toBe(false);
    }
    expect(
      q.items
        .slice(0, 2)
        .map((i) => i.id)
        .sort(),
    ).toEqual(['task-n007', 'task-n008']);
    // task-n001 blocks task-n033: the blocked one waits, the blocker says so.
    expect(q.items.map((i) => i.id)).not.toContain('task-n033');
    expect(q.items.find((i) => i.id === 'task-n001')?.why).toMatch(/unblocks 1/);
  });

  it("brief of a task stays a digest and carries its decision in force and its repo's norms", async () => {
    const home = await imported('live-shape');
    const b = await json<{sections: Record<string, Array<string>>; size: number; text: string}>(home, [
      'brief',
      'task-n001',
    ]);
    expect(b.size).toBeLessThanOrEqual(4096);
    expect(b.sections.decisions).toEqual(['dec-n003']);
    expect(b.sections.norms?.length).toBeGreaterThan(0);
    expect(b.text).toContain('spor brief task-n001 --full has everything');
    const full = await json<{size: number; sections: Record<string, Array<string>>}>(home, [
      'brief',
      'task-n001',
      '--full',
    ]);
    expect(full.size).toBeGreaterThan(b.size);
    expect(full.sections.norms?.length).toBeGreaterThanOrEqual(b.sections.norms?.length ?? 0);
  });
});

describe('commands', () => {
  it.each([
    ['add'],
    ['get'],
    ['set-status'],
    ['edge'],
    ['priority'],
    ['ready'],
    ['person', 'create'],
    ['profile', 'create'],
    ['import'],
    ['next'],
    ['brief'],
  ])('spor %s --help explains itself', async (...path) => {
    const {home} = tempHome();
    const r = await runSpor([...path, '--help'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`$ spor ${path.join(' ')}`);
  });

  it('refusals exit non-zero with a hint and leave the log as it was', async () => {
    const {home} = tempHome();
    expect((await runSpor(['add', 'Retry failed emails'], {home})).stdout).toBe('task-retry-failed-emails');
    for (const [args, code, message] of [
      [['add', 'Retry failed emails'], 1, /^spor: node 'task-retry-failed-emails' already exists/],
      [['add', 'x', '--id', 'a/../b'], 2, /contains path characters/],
      [['edge', 'task-retry-failed-emails', 'depends-on', 'task-x'], 2, /unknown edge type 'depends-on'/],
      [['edge', 'task-retry-failed-emails', 'blocks', 'task-x'], 1, /no node 'task-x'/],
      [['import', join(home, 'missing')], 2, /directory not found/],
    ] as const) {
      const r = await runSpor([...args], {home});
      expect(r.exitCode).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\n {2}hint: /);
      expect(readLog(home)).toHaveLength(1);
    }
  });
});
