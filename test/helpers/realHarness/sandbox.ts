import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {afterEach} from 'vitest';
import {ROOT} from '../runSpor.js';
import {tempDir} from '../tempHome.js';

/**
 * Homes live here rather than in the system temp dir: codex refuses to put its helper binaries
 * under a temp dir (it warns and carries on), and its workspace-write sandbox lets the agent write
 * to the temp dir, so a path "outside the repo" must be elsewhere to be refused.
 */
export const RUN_DIR = join(ROOT, 'test', 'harnesses', '.run');

/** A fresh world for one real-harness run. */
export interface Sandbox {
  /** A `git init` repository with one commit, in the system temp dir. */
  repo: string;
  /** HOME for the harness (Claude Code writes ~/.claude.json and ~/.claude/ there). */
  home: string;
  /** CODEX_HOME, pre-created (codex refuses to start without it). */
  codexHome: string;
  /** SPOR_HOME for a test that runs spor (`<home>/.spor`, not created). */
  sporHome: string;
  /** An empty directory outside the repo and outside the temp dir, for writes that must be refused. */
  outside: string;
  /** TMPDIR for the harness: codex's bwrap lock dir goes with the sandbox (its empty `codex-daemon-<uid>` still lands in /tmp). */
  tmp: string;
}

const made: Array<string> = [];

const git = (cwd: string, ...args: Array<string>): void => {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: '/nonexistent',
    },
  });
};

/** A new sandbox, removed after the test. */
export const sandbox = (): Sandbox => {
  mkdirSync(RUN_DIR, {recursive: true});
  const base = realpathSync(mkdtempSync(join(RUN_DIR, 'run-')));
  made.push(base);
  const repo = tempDir('spor-harness-repo-');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
  const home = join(base, 'home');
  const codexHome = join(home, '.codex');
  const outside = join(base, 'outside');
  const tmp = join(base, 'tmp');
  for (const d of [codexHome, outside, tmp]) mkdirSync(d, {recursive: true});
  return {repo, home, codexHome, sporHome: join(home, '.spor'), outside, tmp};
};

/** PATH for a harness: the pinned CLIs, the node running the tests (codex's launcher is a Node script), the system. */
export const harnessPath = (binDir: string): string =>
  [binDir, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
});
