import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {builtinPlugins} from '../../../../core/builtins.js';
import {definePlugin} from '../../../../core/plugin.js';
import {QUEUE_RANKER, type QueueRanker} from '../../../../plugins/graph/api.js';
import {fakeClock} from '../../../helpers/fakeClock.js';
import {readLog, runInProcess} from '../../../helpers/inProcess.js';
import {tempHome} from '../../../helpers/tempHome.js';
import {FIXTURES} from './fixture.js';

const NODES = join(FIXTURES, 'nodes');
const spor = (home: string, ...args: Array<string>) =>
  runInProcess(args, {home, clock: fakeClock('2026-07-01T00:00:00.000Z')});

const refusedWritingNothing = async (home: string, args: Array<string>, code: 1 | 2, message: RegExp) => {
  const before = readLog(home).length;
  const r = await spor(home, ...args);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')[0]).toMatch(message);
  expect(r.stderr.split('\n')[1]).toMatch(/^ {2}hint: /);
  expect(readLog(home)).toHaveLength(before);
  return r;
};

describe('spor add', () => {
  it('derives the id from the title, prints it, and keeps longer text as the body', async () => {
    const {home} = tempHome();
    const r = await spor(
      home,
      'add',
      'Retry failed emails\nThey bounce on the first try.',
      '--repo',
      'mail',
      '--priority',
      'p2',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('task-retry-failed-emails\n');
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      [
        'node-added',
        {
          node: {
            id: 'task-retry-failed-emails',
            type: 'task',
            title: 'Retry failed emails',
            created: '2026-07-01T00:00:00.000Z',
            repo: 'mail',
            priority: 'p2',
            body: 'Retry failed emails\nThey bounce on the first try.',
          },
        },
      ],
    ]);
  });

  it('takes --type, --title and --id', async () => {
    const {home} = tempHome();
    expect((await spor(home, 'add', 'We deploy in eu-central', '--type', 'decision')).stdout).toBe(
      'decision-we-deploy-in-eu-central\n',
    );
    expect((await spor(home, 'add', 'long text', '--title', 'Short', '--type', 'issue')).stdout).toBe('issue-short\n');
    expect((await spor(home, 'add', 'anything', '--id', 'dec-region')).stdout).toBe('dec-region\n');
  });

  it('refuses a taken id with exit 1 and never overwrites it', async () => {
    const {home} = tempHome();
    await spor(home, 'add', 'Retry failed emails');
    const r = await refusedWritingNothing(
      home,
      ['add', 'Retry failed emails', '--priority', 'p1'],
      1,
      /^spor: node 'task-retry-failed-emails' already exists/,
    );
    expect(r.stderr).toContain('--id');
  });

  it.each([
    [['add', 'x', '--id', '../escape'], /contains path characters/],
    [['add', 'x', '--id', 'Not_Kebab'], /not kebab-case/],
    [['add', 'x', '--type', 'epic'], /unknown node type 'epic'/],
    [['add', 'x', '--priority', 'high'], /unknown priority 'high'/],
    [['add', 'x', '--repo', 'Bad Slug'], /invalid repo slug/],
    [['add', '   '], /the text is empty/],
    [['add', '!!!'], /cannot make an id from '!!!'/],
  ])('refuses %j with exit 2, writing nothing', async (args, message) => {
    const {home} = tempHome();
    const r = await refusedWritingNothing(home, args, 2, message);
    if (args.includes('epic'))
      expect(r.stderr).toContain('person, agent, task, issue, question, decision, norm, profile, repo');
  });
});

describe('changing nodes and edges', () => {
  it('set-status, priority and ready each append one node-updated, and nothing when unchanged', async () => {
    const {home} = tempHome();
    await spor(home, 'add', 'Fix it');
    expect((await spor(home, 'set-status', 'task-fix-it', 'done')).stdout).toBe(
      'task-fix-it: (no status) → done (resolved)\n',
    );
    expect((await spor(home, 'set-status', 'task-fix-it', 'done')).stdout).toBe('task-fix-it is already done\n');
    expect((await spor(home, 'priority', 'task-fix-it', 'p1')).stdout).toBe('task-fix-it: priority p1\n');
    expect((await spor(home, 'priority', 'task-fix-it', 'clear')).stdout).toBe('task-fix-it: priority cleared\n');
    expect((await spor(home, 'ready', 'task-fix-it')).stdout).toBe(
      'task-fix-it: marked ready for an agent; readiness agent (marked ready (spor ready))\n',
    );
    expect((await spor(home, 'ready', 'task-fix-it', '--clear')).stdout).toBe(
      'task-fix-it: not marked ready; readiness untriaged (not marked ready and not assigned)\n',
    );
    expect(readLog(home).map((e) => e.data)).toEqual([
      expect.anything(),
      {id: 'task-fix-it', set: {status: 'done'}},
      {id: 'task-fix-it', set: {priority: 'p1'}},
      {id: 'task-fix-it', set: {}, unset: ['priority']},
      {id: 'task-fix-it', set: {readiness: 'agent'}},
      {id: 'task-fix-it', set: {}, unset: ['readiness']},
    ]);
  });

  it('ready says when human wins over the mark', async () => {
    const {home} = tempHome();
    await spor(home, 'add', 'Ask the team', '--type', 'question');
    expect((await spor(home, 'ready', 'question-ask-the-team')).stdout).toContain('readiness human (open question)');
  });

  it('edge links existing nodes, with attributes, and --rm takes it back', async () => {
    const {home} = tempHome();
    await spor(home, 'add', 'Migrate');
    await spor(home, 'add', 'Reindex');
    await spor(home, 'person', 'create', 'Ada Lovelace');
    await spor(home, 'profile', 'create', 'fast', '--harness', 'claude-code');
    expect((await spor(home, 'edge', 'task-migrate', 'blocks', 'task-reindex')).stdout).toBe(
      'task-migrate blocks task-reindex\n',
    );
    expect((await spor(home, 'edge', 'task-migrate', 'blocks', 'task-reindex')).stdout).toBe(
      'task-migrate blocks task-reindex is already there\n',
    );
    await spor(home, 'edge', 'task-reindex', 'assigned', 'person-ada-lovelace', '--attr', 'profile=profile-fast');
    expect((await spor(home, 'edge', 'task-migrate', 'blocks', 'task-reindex', '--rm')).stdout).toBe(
      'removed task-migrate blocks task-reindex\n',
    );
    expect(
      readLog(home)
        .filter((e) => e.type.startsWith('edge-'))
        .map((e) => [e.type, e.data]),
    ).toEqual([
      ['edge-added', {edge: {from: 'task-migrate', type: 'blocks', to: 'task-reindex'}}],
      [
        'edge-added',
        {edge: {from: 'task-reindex', type: 'assigned', to: 'person-ada-lovelace', attrs: {profile: 'profile-fast'}}},
      ],
      ['edge-removed', {from: 'task-migrate', type: 'blocks', to: 'task-reindex'}],
    ]);
  });

  it.each([
    [['edge', 'task-a', 'depends-on', 'task-b'], 2, /unknown edge type 'depends-on'/],
    [['edge', 'task-a', 'blocks', 'task-missing'], 1, /no node 'task-missing'/],
    [['edge', 'task-a', 'blocks', 'task-b', '--attr', 'nokey'], 2, /invalid --attr 'nokey'/],
    [['set-status', 'task-nope', 'done'], 1, /no node 'task-nope'/],
    [['set-status', 'task-a', 'Done!'], 2, /invalid status 'Done!'/],
    [['priority', 'task-a', 'p9'], 2, /unknown priority 'p9'/],
    [['ready', 'task-nope'], 1, /no node 'task-nope'/],
  ])('refuses %j, writing nothing', async (args, code, message) => {
    const {home} = tempHome();
    await spor(home, 'add', 'A', '--id', 'task-a');
    await spor(home, 'add', 'B', '--id', 'task-b');
    const r = await refusedWritingNothing(home, args, code as 1 | 2, message);
    if (args[2] === 'depends-on')
      expect(r.stderr).toContain(
        'owned-by, assigned, uses-profile, resolves, answers, blocks, relates-to, supersedes, constrained-by, mentions',
      );
  });
});

describe('person and profile nodes', () => {
  it('person create makes person-<kebab name> with the email', async () => {
    const {home} = tempHome();
    expect((await spor(home, 'person', 'create', 'Ada Lovelace', '--email', 'ada@example.com')).stdout).toBe(
      'person-ada-lovelace\n',
    );
    expect(readLog(home)[0]?.data).toEqual({
      node: {
        id: 'person-ada-lovelace',
        type: 'person',
        title: 'Ada Lovelace',
        created: '2026-07-01T00:00:00.000Z',
        email: 'ada@example.com',
      },
    });
    await refusedWritingNothing(home, ['person', 'create', 'Ada Lovelace'], 1, /already exists/);
    await refusedWritingNothing(home, ['person', 'create', 'Bob', '--email', 'bob'], 2, /invalid e-mail address 'bob'/);
  });

  it('profile create adds the profile- prefix unless present and splits the lists', async () => {
    const {home} = tempHome();
    expect(
      (
        await spor(
          home,
          'profile',
          'create',
          'fast',
          '--harness',
          'claude-code',
          '--model',
          'sonnet',
          '--mcp',
          'github, linear,github',
          '--skills',
          'review',
        )
      ).stdout,
    ).toBe('profile-fast\n');
    expect((await spor(home, 'profile', 'create', 'profile-slow', '--harness', 'codex')).stdout).toBe('profile-slow\n');
    expect(readLog(home).map((e) => e.data)).toEqual([
      {
        node: {
          id: 'profile-fast',
          type: 'profile',
          title: 'fast',
          created: '2026-07-01T00:00:00.000Z',
          harness: 'claude-code',
          model: 'sonnet',
          mcp: ['github', 'linear'],
          skills: ['review'],
        },
      },
      {
        node: {
          id: 'profile-slow',
          type: 'profile',
          title: 'slow',
          created: '2026-07-01T00:00:00.000Z',
          harness: 'codex',
        },
      },
    ]);
    await refusedWritingNothing(
      home,
      ['profile', 'create', 'x/y', '--harness', 'codex'],
      2,
      /contains path characters/,
    );
  });
});

describe('spor import', () => {
  it('imports the fixture graph in one batch append, and the same files again append nothing', async () => {
    const {home} = tempHome();
    const r = await spor(home, 'import', NODES);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(
      /^30 files: 30 imported, 0 updated, 0 unchanged, 0 skipped; \d+ events appended in one batch$/,
    );
    const log = readLog(home) as Array<{seq: number; b?: number}>;
    const last = log.at(-1)?.seq;
    // One batch: every record carries the batch's last seq, so a crash rolls it back whole.
    expect(log.slice(0, -1).every((e) => e.b === last)).toBe(true);
    const again = await spor(home, 'import', NODES);
    expect(again.stdout).toContain('30 files: 0 imported, 0 updated, 30 unchanged, 0 skipped; nothing appended');
    expect(readLog(home)).toHaveLength(log.length);
  });

  it('skips malformed files with their reasons, imports the rest, and exits 1', async () => {
    const {home} = tempHome();
    const r = await spor(home, 'import', join(FIXTURES, 'broken'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/skipped {4}bad-yaml\.md: the frontmatter is not valid YAML/);
    expect(r.stdout).toContain("skipped    path-id.md: id '../etc/passwd' contains path characters");
    expect(r.stdout).toContain('skipped    no-frontmatter.md: no frontmatter');
    expect(r.stdout).toContain("note: 'priority' is not one of p1, p2, p3; kept in extra");
    expect(r.stderr).toContain('spor: 5 of 7 files skipped');
    expect(
      readLog(home)
        .filter((e) => e.type === 'node-added')
        .map((e) => (e.data.node as {id: string}).id)
        .sort(),
    ).toEqual(['task-also-good', 'task-good']);
  });

  it('refuses a missing directory with exit 2', async () => {
    const {home} = tempHome();
    await refusedWritingNothing(home, ['import', join(home, 'nowhere')], 2, /directory not found/);
  });
});

describe('reading the graph', () => {
  it('get --json shows the node, its edges both ways (inert ones marked), resolution and readiness', async () => {
    const {home} = tempHome();
    await spor(home, 'import', NODES);
    const r = await spor(home, 'get', 'task-blocked', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.node).toMatchObject({
      id: 'task-blocked',
      summary: 'Indexer rewrite that waits on the schema migration.',
      extra: {owner_team: 'search'},
    });
    expect(report).toMatchObject({
      inert: false,
      resolved: false,
      resolution: null,
      // An open question one hop away makes it a human's (issue 12.8).
      readiness: {readiness: 'human', reasons: ['open question question-open']},
      blockers: ['task-blocker'],
    });
    expect(report.edges.in).toContainEqual({
      type: 'derived-from',
      from: 'finding-drift',
      to: 'task-blocked',
      inert: true,
      missing: false,
      live: true,
    });
    const finding = JSON.parse((await spor(home, 'get', 'finding-drift', '--json')).stdout);
    // A finding is a type spor acts on now (queued, issue 12.8).
    expect(finding.inert).toBe(false);
    expect(finding.edges.out).toContainEqual({
      type: 'relates-to',
      from: 'finding-drift',
      to: 'ghost-node',
      inert: false,
      missing: true,
      live: true,
    });
    await refusedWritingNothing(home, ['get', 'task-blockr'], 1, /no node 'task-blockr'/);
  });

  it('next --json gives {items, counts} with every key, null for what is unset', async () => {
    const {home} = tempHome();
    await spor(home, 'import', NODES);
    const r = JSON.parse((await spor(home, 'next', '--json', '--limit', '2')).stdout);
    expect(r).toEqual({
      items: [
        {
          id: 'task-urgent',
          type: 'task',
          title: 'Fix the login loop',
          repo: 'web',
          priority: 'p1',
          score: 3000011,
          readiness: 'human',
          why: 'p1 · 11 days old',
        },
        {
          id: 'task-blocker',
          type: 'task',
          title: 'Land the schema migration',
          repo: 'web',
          priority: 'p2',
          score: 2002061,
          readiness: 'untriaged',
          why: 'p2 · unblocks 2 · 61 days old',
        },
      ],
      counts: {open: 14, shown: 2, blocked: 2, dormant: 1, filtered: 0},
    });
    const none = JSON.parse((await spor(home, 'next', '--json', '--type', 'question', '--limit', '1')).stdout);
    expect(none.items[0]).toMatchObject({id: 'question-open', priority: null});
  });

  it('next refuses types that are never queued', async () => {
    const {home} = tempHome();
    await refusedWritingNothing(
      home,
      ['next', '--type', 'decision'],
      2,
      /--type 'decision': only task, issue, question, finding, capture-pending nodes are queued/,
    );
  });

  it('next uses whatever QUEUE_RANKER a plugin registered last', async () => {
    const {home} = tempHome();
    await spor(home, 'import', NODES);
    const alphabetical: QueueRanker = {
      rank: (view) => {
        const items = view
          .nodes('task')
          .map((n) => n.id)
          .sort()
          .slice(0, 2)
          .map((id) => ({
            id,
            type: 'task',
            title: id,
            score: 0,
            readiness: view.readiness(id).readiness,
            why: 'alphabetical',
          }));
        return {items, counts: {open: 0, shown: items.length, blocked: 0, dormant: 0, filtered: 0}};
      },
    };
    const plugin = definePlugin({
      name: 'alphabetical-queue',
      version: '1.0.0',
      services: (r) => r.value(QUEUE_RANKER, alphabetical),
    });
    const builtins = [
      ...builtinPlugins(),
      {location: './test/alphabetical-queue', load: async () => ({default: plugin})},
    ];
    const r = await runInProcess(['next', '--json'], {home, builtins});
    expect(JSON.parse(r.stdout).items.map((i: {id: string; why: string}) => [i.id, i.why])).toEqual([
      ['task-assigned-agent', 'alphabetical'],
      ['task-assigned-person', 'alphabetical'],
    ]);
  });

  it('brief --json returns the compiled digest, and free text searches', async () => {
    const {home} = tempHome();
    await spor(home, 'import', NODES);
    const b = JSON.parse((await spor(home, 'brief', 'task-blocked', '--json')).stdout);
    expect(b.sections.decisions).toEqual(['decision-new']);
    expect(b.size).toBeLessThanOrEqual(4096);
    const words = await spor(home, 'brief', 'schema', 'migration');
    expect(words.stdout).toContain('# Nodes matching "schema migration"');
    expect(words.stdout).toContain('- task-blocker (task, open): Land the schema migration');
    await refusedWritingNothing(home, ['brief', 'task-blockr'], 1, /no node 'task-blockr'/);
  });
});
