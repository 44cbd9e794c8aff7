// Issue 12: what a user switching from the reference Spor CLI meets at `spor dispatch`. Each test
// names the scenario of the reference's Dispatch page (or the item) it comes from.
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {basename, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, received, runIdOf, waitForEnd, stubMachine} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';

import {tempDir} from '../helpers/tempHome.js';

/** What the log says was mapped, in order: the data of every `repo-added`. */
const repoAdds = (home: string): Array<unknown> =>
  readLog(home)
    .filter((e) => e.type === 'repo-added')
    .map((e) => e.data);

const today = (): string => new Date().toISOString().slice(0, 10);

describe('templates (issue 12 item 3)', () => {
  it('reference page, --template: {{id}} {{date}} and the aliases {{briefing}} {{instruction}} {{node_id}} {{project}} {{repo}} fill; --print names the template file', async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Retry failed e-mails', '--type', 'task', '--repo', 'web', '--id', 'task-retry']);
    const tpl = join(tempDir(), 'reference-prompt.md');
    writeFileSync(
      tpl,
      'id={{id}} node_id={{node_id}} date={{date}} project={{project}} repo={{repo}}\n{{instruction}}\n---\n{{briefing}}',
    );
    const before = today();
    const r = await spor(['dispatch', 'task-retry', '--template', tpl, '--print', '--json']);
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout);
    expect(plan.warnings).toEqual([]);
    expect(plan.template).toBe(tpl);
    const [head, instruction] = plan.prompt.split('\n');
    expect(
      [`${before}`, today()].map((d) => `id=task-retry node_id=task-retry date=${d} project=web repo=web`),
    ).toContain(head);
    expect(instruction).toBe('Work on task-retry — Retry failed e-mails.');
    expect(plan.prompt).toContain('# task-retry: Retry failed e-mails');
    const text = await spor(['dispatch', 'task-retry', '--template', tpl, '--print']);
    expect(text.stdout).toContain(`template    ${tpl}`);
    const plain = await spor(['dispatch', 'task-retry', '--print']);
    expect(plain.stdout).toContain('template    (none: the default prompt)');
  });
});

describe('the wrong-checkout guard (issue 12 item 5)', () => {
  const git = (cwd: string, ...args: Array<string>) => execFileSync('git', args, {cwd, stdio: 'ignore'});

  it('a slug spor-server mapped to a spor-client checkout is refused: names are compared whole, not word by word', async () => {
    const {spor} = stubMachine();
    const client = gitRepo('spor-client');
    await spor(['repos', 'add', 'spor-server', client]);
    const r = await spor(['dispatch', 'x', '--slug', 'spor-server', '--print']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`looks like another repository than 'spor-server' (origin 'spor-client', folder`);
    // The same checkout under its own name, or a slug that is a run of its words, passes.
    await spor(['repos', 'add', 'spor-client', client]);
    expect((await spor(['dispatch', 'x', '--slug', 'spor-client', '--print'])).exitCode).toBe(0);
    await spor(['repos', 'add', 'client', client]);
    expect((await spor(['dispatch', 'x', '--slug', 'client', '--print'])).exitCode).toBe(0);
  });

  it('a monorepo whose subtree carries `repo: billing` in a .spor marker (or a .spor.json) up to 3 levels down is billing', async () => {
    const {spor} = stubMachine();
    const mono = gitRepo('platform');
    mkdirSync(join(mono, 'services', 'billing'), {recursive: true});
    writeFileSync(join(mono, 'services', 'billing', '.spor'), 'repo: billing\n');
    mkdirSync(join(mono, 'apps', 'web', 'frontend'), {recursive: true});
    writeFileSync(join(mono, 'apps', 'web', 'frontend', '.spor.json'), JSON.stringify({repo: 'storefront'}));
    mkdirSync(join(mono, 'a', 'b', 'c', 'd'), {recursive: true});
    writeFileSync(join(mono, 'a', 'b', 'c', 'd', '.spor'), 'repo: deep\n');
    git(mono, 'add', '-A');
    await spor(['repos', 'add', 'billing', join(mono, 'services', 'billing')]);
    await spor(['repos', 'add', 'storefront', mono]);
    await spor(['repos', 'add', 'deep', mono]);
    await spor(['repos', 'add', 'search', mono]);
    expect((await spor(['dispatch', 'x', '--slug', 'billing', '--print'])).exitCode).toBe(0);
    expect((await spor(['dispatch', 'x', '--slug', 'storefront', '--print'])).exitCode).toBe(0);
    const deep = await spor(['dispatch', 'x', '--slug', 'deep', '--print']);
    expect(deep.exitCode).toBe(1);
    const search = await spor(['dispatch', 'x', '--slug', 'search', '--print']);
    expect(search.exitCode).toBe(1);
    expect(search.stderr).toContain(`(origin 'platform', folder '${basename(mono)}', markers 'billing', 'storefront')`);
  });

  it("the checkout's folder name is its identity too (an origin renamed since), and a folder alone is no evidence against", async () => {
    const {spor} = stubMachine();
    const parent = tempDir();
    const billing = join(parent, 'billing');
    mkdirSync(billing);
    git(billing, 'init', '-q', '-b', 'main');
    git(billing, 'remote', 'add', 'origin', 'git@example.com:acme/legacy-invoicing.git');
    await spor(['repos', 'add', 'billing', billing]);
    expect((await spor(['dispatch', 'x', '--slug', 'billing', '--print'])).exitCode).toBe(0);
    const bare = gitRepo();
    await spor(['repos', 'add', 'anything', bare]);
    expect((await spor(['dispatch', 'x', '--slug', 'anything', '--print'])).exitCode).toBe(0);
  });
});

describe('the slug from where you stand (issue 12 item 6)', () => {
  const git = (cwd: string, ...args: Array<string>) => execFileSync('git', args, {cwd, stdio: 'ignore'});

  it('reference page, "self-registers as you open sessions": free text from inside an unmapped repo infers its slug from the origin, says `via cwd`, and a real run maps it', async () => {
    const {home, env, spor} = stubMachine();
    const repo = gitRepo('acme-web');
    mkdirSync(join(repo, 'src'));
    const plan = await spor(['dispatch', 'tidy the README', '--print'], {}, {cwd: join(repo, 'src')});
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain("slug        acme-web (via cwd: the checkout's name; a real dispatch maps it here)");
    expect(plan.stdout).toContain('Session project: `acme-web`');
    const r = await spor(['dispatch', 'tidy the README'], {}, {cwd: repo});
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    expect(repoAdds(home)).toEqual([{slug: 'acme-web', path: repo}]);
    // Mapped now: no longer inferred, nothing registered again.
    const again = await spor(['dispatch', 'x', '--print', '--json'], {}, {cwd: repo});
    expect(JSON.parse(again.stdout)).toMatchObject({slug: 'acme-web', slug_inferred: false, registers: false});
  });

  it('without an origin the folder names it; a name already mapped elsewhere is not taken', async () => {
    const {spor} = stubMachine();
    const parent = tempDir();
    const repo = join(parent, 'Billing_Service');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    const plan = JSON.parse((await spor(['dispatch', 'x', '--print', '--json'], {}, {cwd: repo})).stdout);
    expect(plan).toMatchObject({slug: 'billing-service', slug_inferred: true, registers: true});
    await spor(['repos', 'add', 'billing-service', gitRepo()]);
    const taken = JSON.parse((await spor(['dispatch', 'x', '--print', '--json'], {}, {cwd: repo})).stdout);
    expect(taken).toMatchObject({slug: null, registers: false});
    expect(taken.warnings.join('\n')).toContain("this checkout's name 'billing-service' is mapped to");
  });

  it('free text dispatched from inside a linked worktree runs in the main checkout, under its slug', async () => {
    const {home, env, rec, spor} = stubMachine();
    const repo = gitRepo('web');
    await spor(['repos', 'add', 'web', repo]);
    const linked = join(tempDir(), 'web-feature');
    git(repo, 'worktree', 'add', '-q', '-b', 'feature', linked);
    const plan = JSON.parse((await spor(['dispatch', 'x', '--print', '--json'], {}, {cwd: linked})).stdout);
    expect(plan).toMatchObject({dir: repo, slug: 'web', registers: false});
    const r = await spor(['dispatch', 'fix the build'], {}, {cwd: linked});
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    const [got] = received(rec);
    expect(got?.cwd).toBe(repo);
    expect(got?.stdin).toContain('Session project: `web` — you are working for this project');
  });
});

describe('backfill (issue 12 item 9)', () => {
  it('reference page, --backfill "the unattended init + enable + backfill primitive": with --dir it maps the slug, every `spor add` example in the survey prompt carries --repo, and `spor log` shows the run as a backfill', async () => {
    const {home, env, rec, spor} = stubMachine();
    const repo = gitRepo('ledger');
    const r = await spor(['dispatch', '--backfill', '--dir', repo]);
    expect(r.exitCode).toBe(0);
    await waitForEnd(home, runIdOf(r.stdout), env);
    expect(repoAdds(home)).toEqual([{slug: 'ledger', path: repo}]);
    const [got] = received(rec);
    const adds = (got?.stdin ?? '').match(/spor add [^`]*/g) ?? [];
    expect(adds.length).toBeGreaterThanOrEqual(4);
    for (const add of adds) expect(add).toContain('--repo ledger');
    const log = await spor(['log', '--type', 'dispatch-started']);
    expect(log.stdout).toMatch(/dispatch-started {2}\S+ backfill survey of ledger with claude-code in /);
  });
});

describe('said once (issue 12 item 10)', () => {
  it('a hook veto prints its refusal once, with no `warning: warning:` before it', async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    const veto = join(tempDir(), 'veto');
    writeFileSync(veto, '#!/bin/sh\necho "no dispatch on fridays" >&2\nexit 2\n', {mode: 0o755});
    await spor(['hooks', 'add', 'dispatch-started', veto]);
    const r = await spor(['dispatch', 'x', '--dir', repo]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toContain('warning');
    expect(r.stderr.match(/no dispatch on fridays/g)).toHaveLength(1);
    expect(r.stderr).toContain(`spor: hook h1 (${veto}) vetoed the dispatch: no dispatch on fridays`);
  });

  it('a hook that fails otherwise is one warning line, prefixed once', async () => {
    const {home, env, spor} = stubMachine();
    const repo = gitRepo();
    const failing = join(tempDir(), 'failing');
    writeFileSync(failing, '#!/bin/sh\necho "disk full" >&2\nexit 3\n', {mode: 0o755});
    await spor(['hooks', 'add', 'dispatch-started', failing]);
    const r = await spor(['dispatch', 'x', '--dir', repo, '--json']);
    expect(r.stderr).toContain(`spor: warning: hook h1 (${failing}) on dispatch-started`);
    expect(r.stderr).not.toContain('warning: warning:');
    expect((await waitForEnd(home, runIdOf(r.stdout), env)).state).toBe('done');
  });

  it('a missing harness is said once by a real dispatch (the refusal), and once by --print (a warning)', async () => {
    const {spor} = stubMachine();
    const repo = gitRepo();
    const r = await spor(['dispatch', 'x', '--dir', repo], {PATH: '/usr/bin:/bin'});
    expect(r.exitCode).toBe(1);
    expect(r.stderr.match(/claude/g)?.length).toBeGreaterThan(0);
    expect(r.stderr.match(/binary 'claude' is not/g)).toHaveLength(1);
    expect(r.stderr).toContain("spor: the claude-code binary 'claude' is not installed on this machine");
    const p = await spor(['dispatch', 'x', '--dir', repo, '--print'], {PATH: '/usr/bin:/bin'});
    expect(p.stdout.match(/binary 'claude' is not on this machine/g)).toHaveLength(1);
  });
});

describe('one JSON naming convention (issue 12 item 10)', () => {
  // Field names spor chooses are snake_case in every --json output (dispatch --json's run_id, the
  // team server's contract). Keys that are data are exempt: a plugin's contributions are keyed by
  // extension point names.
  const camel = (value: unknown, path: string, found: Array<string>): Array<string> => {
    if (Array.isArray(value)) value.forEach((v, i) => camel(v, `${path}[${i}]`, found));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (/[a-z][A-Z]/.test(k)) found.push(`${path}.${k}`);
        if (k !== 'contributes') camel(v, `${path}.${k}`, found);
      }
    return found;
  };

  it('runs --json uses run_id as dispatch --json does, and no --json output has a camelCase field', async () => {
    const {home, env, spor} = stubMachine();
    const repo = gitRepo('web');
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Fix it', '--type', 'task', '--repo', 'web', '--id', 'task-fix']);
    await spor(['person', 'create', 'Ada']);
    await spor(['agent', 'create', 'laptop']);
    await spor(['profile', 'create', 'profile-x', '--harness', 'claude-code']);
    await spor(['capabilities', 'probe']);
    const d = await spor(['dispatch', 'task-fix', '--worktree', '--json']);
    const runId = JSON.parse(d.stdout).run_id as string;
    await waitForEnd(home, runId, env);
    const run = JSON.parse((await spor(['runs', runId, '--json'])).stdout);
    expect(run).toMatchObject({run_id: runId, node: 'task-fix', state: 'done'});
    expect(run.started_at).toEqual(expect.any(String));
    const commands = [
      ['repos', '--json'],
      ['repos', 'tags', '--json'],
      ['config', 'list', '--json'],
      ['log', '--json'],
      ['doctor', '--json'],
      ['plugins', '--json'],
      ['hooks', '--json'],
      ['next', '--json'],
      ['brief', 'task-fix', '--json'],
      ['get', 'task-fix', '--json'],
      ['agent', 'list', '--json'],
      ['capabilities', 'list', '--json'],
      ['capabilities', 'check', 'profile-x', '--json'],
      ['runs', '--json'],
      ['runs', runId, '--json'],
      ['worktrees', '--json'],
      ['dispatch', 'task-fix', '--force', '--print', '--json'],
    ];
    for (const args of commands) {
      const r = await spor(args);
      expect(r.exitCode, args.join(' ')).toBe(0);
      // `spor log --json` prints one event per line.
      const values =
        args[0] === 'log'
          ? r.stdout
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
          : JSON.parse(r.stdout);
      const found = camel(values, args.join(' '), []);
      // The event log prints events as stored; their data is snake_case by the same convention.
      expect(found).toEqual([]);
    }
  });
});
