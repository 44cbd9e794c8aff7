import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';

import {tempDir} from '../helpers/tempHome.js';

describe('spor dispatch options (built binary, stub harnesses on PATH)', () => {
  it('a codex profile runs codex exec --json with its defaults, the prompt on stdin and the report from --output-last-message', async () => {
    const {home, rec, env, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['profile', 'create', 'profile-codex', '--harness', 'codex', '--model', 'o4-mini']);
    await spor(['capabilities', 'probe']);
    const r = await spor([
      'dispatch',
      'port the parser',
      '--dir',
      repo,
      '--profile',
      'profile-codex',
      '--sandbox',
      'read-only',
    ]);
    expect(r.stderr).toBe('');
    const runId = runIdOf(r.stdout);
    expect(await waitForEnd(home, runId, env)).toMatchObject({
      state: 'done',
      class: 'completed',
      session_id: 'thread-42',
    });
    const [got] = received(rec);
    expect(got?.argv).toEqual([
      'exec',
      '--json',
      '--sandbox',
      'read-only',
      '-c',
      'approval_policy="never"',
      '--output-last-message',
      join(home, '.spor', 'runs', runId, 'report'),
      '--model',
      'o4-mini',
      '-',
    ]);
    expect(got?.stdin).toContain('# Task\n\nport the parser\n');
    expect(readLog(home).find((e) => e.type === 'dispatch-started')?.data).toMatchObject({
      harness: 'codex',
      profile: 'profile-codex',
      model: 'o4-mini',
    });
  });

  it('a profile this machine cannot satisfy is refused with every reason; --print shows the verdict and writes no probe', async () => {
    const {home, spor} = stubMachine();
    const repo = gitRepo();
    await spor([
      'profile',
      'create',
      'profile-heavy',
      '--harness',
      'claude-code',
      '--mcp',
      'linear',
      '--skills',
      'tdd',
    ]);
    const before = readLog(home).length;
    const plan = JSON.parse(
      (await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-heavy', '--print', '--json'])).stdout,
    );
    expect(plan.satisfiable).toBe(false);
    expect(plan.reasons.join('\n')).toContain("MCP server 'linear' is not reachable here");
    expect(readLog(home)).toHaveLength(before);
    const r = await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-heavy', '--force']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("this machine cannot run profile 'profile-heavy'");
    expect(r.stderr).toContain("skill 'tdd'");
    expect(readLog(home).some((e) => e.type === 'dispatch-started')).toBe(false);
    expect((await spor(['dispatch', 'x', '--dir', repo, '--profile', 'profile-none', '--print'])).stderr).toContain(
      "no profile 'profile-none'",
    );
  });

  it("the profile comes from the assigned edge, else the agent's uses-profile; a missing inferred one is skipped with a warning", async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['person', 'create', 'Ada']);
    await spor(['agent', 'create', 'bot']);
    await spor(['profile', 'create', 'profile-fast', '--harness', 'claude-code', '--model', 'haiku']);
    await spor(['profile', 'create', 'profile-deep', '--harness', 'claude-code', '--model', 'opus']);
    await spor(['edge', 'agent-bot', 'uses-profile', 'profile-deep']);
    // An imported graph may name a profile that this one does not have.
    const dir = tempDir();
    writeFileSync(
      join(dir, 'task-tune.md'),
      '---\nid: task-tune\ntype: task\ntitle: Tune it\nrepo: web\nedges:\n  - {type: assigned, to: agent-bot, profile: profile-gone}\n---\n',
    );
    expect((await spor(['import', dir])).exitCode).toBe(0);
    const viaAgent = JSON.parse((await spor(['dispatch', 'task-tune', '--print', '--json'])).stdout);
    expect(viaAgent).toMatchObject({
      profile: 'profile-deep',
      profile_source: 'agent',
      model: 'opus',
      dir_source: 'node-repo',
      slug: 'web',
    });
    expect(viaAgent.warnings).toContain(
      "ignoring profile 'profile-gone' from the assigned edge to agent-bot: there is no such profile node",
    );
    await spor(['edge', 'task-tune', 'assigned', 'agent-bot', '--attr', 'profile=profile-fast']);
    expect(JSON.parse((await spor(['dispatch', 'task-tune', '--print', '--json'])).stdout)).toMatchObject({
      profile: 'profile-fast',
      profile_source: 'assigned',
      model: 'haiku',
    });
  });

  it('--template fills placeholders; an unknown one warns with the list; an unreadable template is refused first', async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    const tpl = join(tempDir(), 'prompt.md');
    writeFileSync(tpl, 'Repo {{SLUG}} at {{dir}}. {{Task}} {{mystery}}');
    const plan = JSON.parse(
      (await spor(['dispatch', 'do the thing', '--dir', repo, '--slug', 'web', '--template', tpl, '--print', '--json']))
        .stdout,
    );
    expect(plan.prompt).toBe(`Repo web at ${repo}. do the thing `);
    expect(plan.warnings.join('\n')).toContain(
      'unknown template placeholder(s) {{mystery}} left empty; available: {{brief}}',
    );
    const missing = await spor(['dispatch', 'x', '--dir', repo, '--template', join(repo, 'nope.md'), '--print']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('cannot read the prompt template');
  });

  it('a real dispatch registers the slug→directory it used; a checkout that is evidently another repository is refused unless --force', async () => {
    const {home, env, spor} = stubMachine();
    const repo = gitRepo('web-frontend');
    const r = await spor(['dispatch', 'x', '--dir', repo, '--slug', 'web']);
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    expect(
      readLog(home)
        .filter((e) => e.type === 'repo-added')
        .map((e) => e.data),
    ).toEqual([{slug: 'web', path: repo}]);
    const other = gitRepo('search-service');
    await spor(['repos', 'add', 'billing', other]);
    const count = readLog(home).length;
    const refused = await spor(['dispatch', 'x', '--slug', 'billing']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`looks like another repository than 'billing' (origin 'search-service', folder`);
    expect(readLog(home)).toHaveLength(count);
    const forced = await spor(['dispatch', 'x', '--slug', 'billing', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('dispatching anyway (--force)');
    await waitForEnd(home, runIdOf(forced.stdout), env);
  });

  it("--backfill instructs an agent to record the repo's decisions, norms and open work with spor, in the checkout itself", async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    const plan = JSON.parse((await spor(['dispatch', '--backfill', '--slug', 'web', '--print', '--json'])).stdout);
    expect(plan).toMatchObject({mode: 'backfill', worktree: null, dir: repo, name: 'backfill-web'});
    expect(plan.prompt).toContain('spor add "<decision>" --type decision');
    expect(plan.prompt).toContain('--repo web');
    expect((await spor(['dispatch', '--backfill', '--slug', 'web', '--worktree', '--print'])).exitCode).toBe(2);
  });

  it('spor runs log --follow prints the output until the run ends', async () => {
    const {home, env, spor} = stubMachine();
    // The harness stays mid-run until `release` exists: follow is seen printing while it runs.
    const release = join(tempDir(), 'release');
    const r = await spor(['dispatch', 'slow one', '--dir', gitRepo()], {STUB_HOLD: release});
    const runId = runIdOf(r.stdout);
    const following = spor(['runs', 'log', runId, '--follow']);
    let printed = '';
    following.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    await expect.poll(() => printed, {timeout: 30_000}).toContain('"session_id":"sess-123"');
    expect(following.exitCode).toBeNull();
    writeFileSync(release, '');
    const follow = await following;
    expect(follow.exitCode).toBe(0);
    expect(follow.stdout).toContain('"session_id":"sess-123"');
    expect(follow.stdout).toContain('All done: the test is fixed.');
    expect((await waitForEnd(home, runId, env)).state).toBe('done');
    expect(existsSync(join(home, '.spor', 'runs', runId, 'report'))).toBe(true);
  });
});

describe('spor dispatch output', () => {
  it('a real dispatch with --json prints the launched run; --from-queue says which in-flight items it skipped', async () => {
    const {home, env, spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'First', '--type', 'task', '--id', 'task-first', '--repo', 'web', '--priority', 'p1']);
    await spor(['add', 'Second', '--type', 'task', '--id', 'task-second', '--repo', 'web']);
    const first = await spor(['dispatch', 'task-first', '--json'], {STUB_MODE: 'hang'});
    expect(first.exitCode).toBe(0);
    const launched = JSON.parse(first.stdout);
    expect(launched).toMatchObject({
      state: 'running',
      node: 'task-first',
      dir: repo,
      harness: 'claude-code',
      worktree: null,
    });
    expect(launched.pid).toBeGreaterThan(0);
    const next = await spor(['dispatch', '--from-queue']);
    expect(next.exitCode).toBe(0);
    expect(next.stdout).toContain('task-second');
    expect(next.stdout).toContain('skipped (in flight here): task-first');
    await spor(['runs', 'stop', launched.run_id]);
    await waitForEnd(home, launched.run_id, env);
    await waitForEnd(home, runIdOf(next.stdout), env);
  });
});
