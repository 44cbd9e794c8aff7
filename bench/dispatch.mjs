#!/usr/bin/env node
// Dispatch's own cost: `spor dispatch "<task>" --dir R --print` against `spor repos list` on the
// same home, and a real dispatch with a stub harness and --worktree, whose overhead (its wall time
// minus a `git worktree add` measured alone in the same run) is compared with `spor repos list`.
// Run alone with `node bench/dispatch.mjs` (after a build), or as the `dispatch` suite of bench/run.mjs.
import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {interleave, median, ROOT, row, runAlone, SPOR_BIN, sporEnv, tempDir, timeProcess} from './lib.mjs';

const STUB_AGENTS = join(ROOT, 'test', 'fixtures', 'bin', 'agents');

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
  });

/** A small repository: 60 files in one commit (checkout cost is git's, measured alone below). */
const makeRepo = () => {
  const dir = tempDir('spor-bench-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  const files = Array.from({length: 60}, (_, i) => `src/m${i % 6}/f${i}.ts`);
  for (const f of files) {
    execFileSync('mkdir', ['-p', join(dir, f, '..')]);
    execFileSync('cp', ['/dev/null', join(dir, f)]);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
};

// Removing a worktree leaves the disk busy for a moment; samples start after it.
const settle = () => new Promise((r) => setTimeout(r, 100));

const timeGit = (cwd, args) => {
  const t = performance.now();
  const r = spawnSync('git', args, {cwd, stdio: 'ignore'});
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
};

export const benchDispatch = async ({rounds = 20} = {}) => {
  const home = tempDir('spor-bench-dispatch-');
  const repo = makeRepo();
  const scratch = makeRepo();
  try {
    const env = {...sporEnv(home), PATH: `${STUB_AGENTS}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`};
    for (let i = 0; i < 10; i += 1)
      timeProcess([SPOR_BIN, 'add', `Task number ${i}`, '--type', 'task', '--repo', 'bench'], env);
    timeProcess([SPOR_BIN, 'repos', 'add', 'bench', repo], env);
    const list = () => timeProcess([SPOR_BIN, 'repos', 'list'], env);
    const print = () => timeProcess([SPOR_BIN, 'dispatch', 'Add retries to the mailer', '--dir', repo, '--print'], env);
    for (let i = 0; i < 3; i += 1) {
      list();
      print();
    }
    const a = await interleave(rounds, {list, print});

    let n = 0;
    const ended = () =>
      (readFileSync(join(env.SPOR_HOME, 'events.jsonl'), 'utf8').match(/"type":"run-ended"/g) ?? []).length;
    const real = async () => {
      n += 1;
      const ms = timeProcess(
        [SPOR_BIN, 'dispatch', `Bench task ${n}`, '--dir', repo, '--worktree', '--name', `bench-${n}`],
        env,
      );
      // Not timed: let this run's supervisor finish, so its work does not weigh on the next sample,
      // and remove the worktree, so every sample starts from the same repository.
      for (let i = 0; i < 100 && ended() < n; i += 1) await new Promise((r) => setTimeout(r, 20));
      git(repo, 'worktree', 'remove', '--force', join(repo, '.claude', 'worktrees', `bench-${n}`));
      await settle();
      return ms;
    };
    let m = 0;
    // The same git work dispatch does for a new worktree, alone, in a repository of the same shape.
    const worktreeAdd = async () => {
      m += 1;
      const path = join(scratch, '.claude', 'worktrees', `w${m}`);
      const ms = timeGit(scratch, ['worktree', 'add', '-q', '-b', `spor/w${m}`, path, 'HEAD']);
      git(scratch, 'worktree', 'remove', '--force', path);
      await settle();
      return ms;
    };
    await real();
    await worktreeAdd();
    const b = await interleave(rounds, {list, real, worktreeAdd});
    const overhead = median(b.real) - median(b.worktreeAdd);
    return [
      row(
        `dispatch: spor dispatch "<task>" --dir R --print vs spor repos list (${rounds} each)`,
        median(a.print),
        median(a.list),
        1.5,
      ),
      row(
        `dispatch: real --worktree dispatch (stub harness) minus git worktree add (${median(b.worktreeAdd).toFixed(1)} ms) vs spor repos list`,
        overhead,
        median(b.list),
        2.5,
      ),
    ];
  } finally {
    for (const d of [home, repo, scratch]) rmSync(d, {recursive: true, force: true});
  }
};

await runAlone(import.meta.url, benchDispatch);
