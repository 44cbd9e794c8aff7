import {copyFileSync, existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readLog, type LoggedEvent} from '../helpers/readLog.js';
import {killAllWith} from '../helpers/processes.js';
import {ROOT, runSpor, SPOR_BIN} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const RECORD = join(ROOT, 'test', 'fixtures', 'hooks', 'record-stdin');
// Started in milliseconds and never ends on its own: for the tests of --timeout.
const HANG = join(ROOT, 'test', 'fixtures', 'hooks', 'hang');
const APPEND_SUMMARY = join(ROOT, 'hooks', 'append-summary');

/** What record-stdin saw on one run. */
interface Recorded {
  argv: Array<string>;
  stdin: string;
  cwd: string;
  env: Record<string, string>;
}
const recorded = (file: string): Array<Recorded> =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Recorded)
    : [];

const ranRecords = (home: string): Array<LoggedEvent> => readLog(home).filter((e) => e.type === 'hook-ran');

const addHook = async (home: string, args: Array<string>): Promise<void> => {
  const r = await runSpor(['hooks', 'add', ...args], {home});
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
};

describe('hook scripts, run by the built binary', () => {
  it('hand the hook the event on stdin, its argv, SPOR_HOME as cwd and only the allowlisted environment', async () => {
    const {home, sporHome} = tempHome();
    const out = join(tempDir(), 'runs.ndjson');
    await addHook(home, ['repo-added', RECORD, '--', out, 'second arg']);
    const dir = tempDir();
    const r = await runSpor(['repos', 'add', 'svc', dir], {
      home,
      env: {
        GITHUB_TOKEN: 'ghp_not_for_hooks',
        AWS_SECRET_ACCESS_KEY: 'aws-not-for-hooks',
        NODE_OPTIONS: '--no-warnings',
      },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}`);
    expect(r.stderr).toBe('');

    const [run, ...more] = recorded(out);
    expect(more).toEqual([]);
    const event = readLog(home).find((e) => e.type === 'repo-added')!;
    expect(run!.stdin.endsWith('\n')).toBe(true);
    expect(JSON.parse(run!.stdin)).toEqual({
      id: event.id,
      seq: event.seq,
      type: 'repo-added',
      v: 1,
      at: event.at,
      actor: event.actor,
      data: {slug: 'svc', path: dir},
      causation: null,
    });
    expect(run!.argv).toEqual([out, 'second arg']);
    expect(run!.cwd).toBe(sporHome);
    expect(run!.env).toEqual({
      PATH: process.env.PATH,
      HOME: home,
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      SPOR_HOME: sporHome,
      SPOR_EVENT: 'repo-added',
      SPOR_EVENT_ID: event.id,
      SPOR_EVENT_SEQ: String(event.seq),
      SPOR_EVENT_V: '1',
      SPOR_EVENT_AT: event.at,
      SPOR_HOOK_NAME: 'h1',
      SPOR_HOOK_DEPTH: '1',
      SPOR_REPO_SLUG: 'svc',
      SPOR_REPO_PATH: dir,
    });

    const [ran] = ranRecords(home);
    expect(ran).toMatchObject({
      causation: event.id,
      data: {
        hook: 'h1',
        event_id: event.id,
        event_type: 'repo-added',
        exit: 0,
        signal: null,
        timed_out: false,
        stdout_tail: '',
        stderr_tail: '',
      },
    });
    expect(ran!.data.duration_ms).toEqual(expect.any(Number));
  });

  it.each([
    ['exit 2 (a veto, here on an event nothing gates on)', 2, 'not on a Friday'],
    ['any other non-zero exit', 7, 'disk full'],
  ])("records %s in hook-ran and leaves the command's exit code and output alone", async (_what, code, message) => {
    const {home} = tempHome();
    const out = join(tempDir(), 'runs.ndjson');
    await addHook(home, [
      'repo-added',
      RECORD,
      '--',
      out,
      '--stdout',
      'some output',
      '--stderr',
      message,
      '--exit',
      String(code),
    ]);
    const dir = tempDir();
    const r = await runSpor(['repos', 'add', 'svc', dir], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}`);
    expect(r.stderr).toBe(`spor: warning: hook h1 (${RECORD}) on repo-added #2: exited ${code}: ${message}`);
    expect(ranRecords(home).map((e) => e.data)).toEqual([
      expect.objectContaining({
        hook: 'h1',
        exit: code,
        signal: null,
        timed_out: false,
        stdout_tail: 'some output\n',
        stderr_tail: `${message}\n`,
      }),
    ]);
    expect(JSON.parse((await runSpor(['repos', 'list', '--json'], {home})).stdout)).toEqual([{slug: 'svc', path: dir}]);
  });

  it('stops a hook at its --timeout: the command finishes promptly and hook-ran says timed_out', async () => {
    const {home} = tempHome();
    const out = join(tempDir(), 'event.json');
    await addHook(home, ['repo-added', HANG, '--timeout', '1s', '--', out]);
    const dir = tempDir();
    const started = Date.now();
    const r = await runSpor(['repos', 'add', 'svc', dir], {home});
    const took = Date.now() - started;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}`);
    expect(r.stderr).toMatch(/^spor: warning: hook h1 \(.*hang\) on repo-added #2: timed out after \d+ms$/);
    expect(took).toBeLessThan(6000);
    const [ran] = ranRecords(home);
    expect(ran!.data).toMatchObject({hook: 'h1', exit: null, signal: 'SIGTERM', timed_out: true});
    expect(ran!.data.duration_ms).toBeGreaterThanOrEqual(1000);
    expect(ran!.data.duration_ms).toBeLessThan(5000);
    // The hook ran and was handed the event before it was stopped.
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({type: 'repo-added', data: {slug: 'svc', path: dir}});
  });

  it('kills a hook that ignores SIGTERM with SIGKILL 2 s after its timeout', async () => {
    const {home} = tempHome();
    const out = join(tempDir(), 'event.json');
    await addHook(home, ['repo-added', HANG, '--timeout', '1s', '--', out, '--ignore-term']);
    const started = Date.now();
    const r = await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    expect(r.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(ranRecords(home)[0]!.data).toMatchObject({exit: null, signal: 'SIGKILL', timed_out: true});
    expect(ranRecords(home)[0]!.data.duration_ms).toBeGreaterThanOrEqual(3000);
  });

  it('does not wait for a process a hook left behind holding its output open', async () => {
    const {home} = tempHome();
    const out = join(tempDir(), 'runs.ndjson');
    await addHook(home, ['repo-added', RECORD, '--', out, '--stdout', 'started a daemon', '--linger', '15000']);
    const started = Date.now();
    const r = await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(8000);
    expect(ranRecords(home)[0]!.data).toMatchObject({exit: 0, timed_out: false, stdout_tail: 'started a daemon\n'});
    killAllWith('HOME', home); // the daemon, which would linger for 15 s
  });

  it("keeps only the last 2 KiB of a hook's output", async () => {
    const {home} = tempHome();
    const out = join(tempDir(), 'runs.ndjson');
    const long = `${'x'.repeat(5000)}END`;
    await addHook(home, ['repo-added', RECORD, '--', out, '--stdout', long]);
    await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    const tail = ranRecords(home)[0]!.data.stdout_tail as string;
    expect(tail).toHaveLength(2048);
    expect(tail).toBe(`${long}\n`.slice(-2048));
  });

  it('runs hooks one at a time in the order added; * never matches hook-ran, an explicit hook-ran hook does, once', async () => {
    const {home} = tempHome();
    const files = {
      any: join(tempDir(), 'any.ndjson'),
      repo: join(tempDir(), 'repo.ndjson'),
      ran: join(tempDir(), 'ran.ndjson'),
    };
    await addHook(home, ['*', RECORD, '--', files.any]);
    await addHook(home, ['repo-added', RECORD, '--', files.repo]);
    await addHook(home, ['hook-ran', RECORD, '--', files.ran]);
    const before = readLog(home).length;
    const r = await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    expect(r.exitCode).toBe(0);
    const after = readLog(home).slice(before);
    expect(
      after.map((e) =>
        e.type === 'hook-ran' ? `${e.type} ${String(e.data.hook)} on ${String(e.data.event_type)}` : e.type,
      ),
    ).toEqual([
      'repo-added',
      'hook-ran h1 on repo-added',
      'hook-ran h3 on hook-ran',
      'hook-ran h2 on repo-added',
      'hook-ran h3 on hook-ran',
    ]);
    const repoAdded = after[0]!;
    expect(after.filter((e) => e.data.event_type === 'repo-added').every((e) => e.causation === repoAdded.id)).toBe(
      true,
    );
    expect(recorded(files.any).map((run) => run.env.SPOR_EVENT)).not.toContain('hook-ran');
    expect(recorded(files.any).at(-1)!.env.SPOR_EVENT_ID).toBe(repoAdded.id);
    const ranSeen = recorded(files.ran)
      .slice(-2)
      .map((run) => JSON.parse(run.stdin) as {data: {hook: string}; causation: string});
    expect(ranSeen.map((e) => e.data.hook)).toEqual(['h1', 'h2']);
    expect(ranSeen.map((e) => e.causation)).toEqual([repoAdded.id, repoAdded.id]);
  });

  it('bounds hooks that call spor: past hooks.maxDepth nesting, hooks are not run', async () => {
    const {home} = tempHome();
    const out = join(tempDir(), 'runs.ndjson');
    const dir = tempDir();
    // Each run maps one more slug from inside the hook, which fires the hook again one level deeper.
    await addHook(home, ['repo-added', RECORD, '--', out, '--run', SPOR_BIN, 'repos', 'add', 'loop-{depth}', dir]);
    const r = await runSpor(['repos', 'add', 'svc', dir], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}`);
    const added = readLog(home).filter((e) => e.type === 'repo-added');
    expect(added.map((e) => [e.data.slug, e.actor])).toEqual([
      ['svc', expect.stringMatching(/^machine:/)],
      ['loop-1', 'hook:h1'],
      ['loop-2', 'hook:h1'],
      ['loop-3', 'hook:h1'],
    ]);
    expect(recorded(out).map((run) => run.env.SPOR_HOOK_DEPTH)).toEqual(['1', '2', '3']);
    expect(ranRecords(home).map((e) => e.data.exit)).toEqual([0, 0, 0]);
    // The innermost spor (depth 3) said why it ran no hooks; its stderr is in its hook's record.
    expect(
      ranRecords(home)
        .map((e) => e.data.stderr_tail)
        .join(''),
    ).toMatch(/spor: hooks not run: this spor was started by a hook nested 3 deep \(hooks.maxDepth is 3\)/);
  });

  it('records a hook whose executable has gone as one that could not start; the command still succeeds', async () => {
    const {home} = tempHome();
    const copy = join(tempDir(), 'gone-hook');
    copyFileSync(RECORD, copy);
    await addHook(home, ['repo-added', copy]);
    rmSync(copy);
    const dir = tempDir();
    const r = await runSpor(['repos', 'add', 'svc', dir], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`mapped svc → ${dir}`);
    expect(r.stderr).toMatch(
      new RegExp(`^spor: warning: hook h1 \\(${copy}\\) on repo-added #2: could not start: .*ENOENT`),
    );
    expect(ranRecords(home)[0]!.data).toMatchObject({
      hook: 'h1',
      exit: null,
      signal: null,
      timed_out: false,
      error: expect.stringContaining('ENOENT'),
    });
    expect((await runSpor(['hooks', 'list'], {home})).stdout).toMatch(/\(missing\)$/);
  });
});

describe('hooks/append-summary', () => {
  it('appends one line per event to the file given as its argument', async () => {
    const {home} = tempHome();
    const file = join(tempDir(), 'spor-events.txt');
    await addHook(home, ['*', APPEND_SUMMARY, '--', file]);
    const dir = tempDir();
    expect((await runSpor(['repos', 'add', 'svc', dir], {home})).exitCode).toBe(0);
    const event = readLog(home).find((e) => e.type === 'repo-added')!;
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.at(-1)).toBe(`${event.at} #${event.seq} repo-added actor=${event.actor} slug=svc path=${dir}`);
    expect(lines[0]).toMatch(/^\S+ #1 hook-added actor=\S+ id=h1 event=\* /);
    expect(ranRecords(home).every((e) => e.data.exit === 0)).toBe(true);
  });

  it('writes to $SPOR_HOME/events-summary.log without an argument', async () => {
    const {home, sporHome} = tempHome();
    await addHook(home, ['repo-removed', APPEND_SUMMARY]);
    await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    await runSpor(['repos', 'rm', 'svc'], {home});
    const event = readLog(home).find((e) => e.type === 'repo-removed')!;
    expect(readFileSync(join(sporHome, 'events-summary.log'), 'utf8')).toBe(
      `${event.at} #${event.seq} repo-removed actor=${event.actor} slug=svc\n`,
    );
  });
});
