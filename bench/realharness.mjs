#!/usr/bin/env node
// Dispatch overhead with the real Claude Code (the pinned one, test/harnesses) and the scripted fake
// model: the time from starting `spor dispatch "<task>" --dir R` to the fake's first model request,
// against starting the same `claude -p …` directly (same argv, environment and prompt) to its first
// model request, interleaved in one run, the same fake serving both. Target ≤ 1.3×.
// Run alone with `node bench/realharness.mjs` (after a build), or as the `realharness` suite.
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {interleave, median, ROOT, row, runAlone, SPOR_BIN, sporEnv, tempDir} from './lib.mjs';

/** The pinned CLIs (installs them when missing); undefined when they cannot be installed here. */
const ensureClaude = () => {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, 'test', 'harnesses', 'ensure.mjs'), '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const got = JSON.parse(out).harnesses.claude;
    return got.ok ? got.bin : undefined;
  } catch {
    return undefined;
  }
};

/** The fake model is the test tier's (TypeScript): bundled once into a temporary module. */
const loadFake = async (dir) => {
  const {build} = await import('esbuild');
  const outfile = join(dir, 'fakeModel.mjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'helpers', 'fakeModel', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  return import(pathToFileURL(outfile).href);
};

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
  });

/** Starts a child (no shell), writes `input` to its stdin; resolves with its exit once it is gone. */
const start = (file, args, {env, cwd, input = ''}) => {
  const child = spawn(file, args, {env, cwd, stdio: ['pipe', 'ignore', 'ignore']});
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
};

export const benchRealHarness = async ({rounds = 10} = {}) => {
  const claude = ensureClaude();
  if (!claude) {
    process.stderr.write('bench: realharness skipped: the pinned Claude Code could not be installed (see above)\n');
    return [];
  }
  const home = tempDir('spor-bench-real-');
  const repo = join(home, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
  const {startFakeModel} = await loadFake(home);
  const fake = await startFakeModel({script: [{text: 'done'}]});
  try {
    const base = {
      ...sporEnv(home),
      PATH: [dirname(claude), dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
      TMPDIR: home,
    };
    const harnessEnv = {
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'sk-fake-model',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: '0',
    };
    const env = {...base, SPOR_HARNESS_CLAUDE_CODE_ENV: JSON.stringify(harnessEnv)};
    const task = 'Say hi';
    // What spor would launch, so the direct side runs the very same argv, environment and prompt.
    const plan = JSON.parse(
      execFileSync(process.execPath, [SPOR_BIN, 'dispatch', task, '--dir', repo, '--print', '--json'], {
        env,
        encoding: 'utf8',
      }),
    );
    const firstRequestAfter = async (t) => {
      for (;;) {
        const hit = fake.log.model().find((r) => fake.startedAt + r.atMs >= t);
        if (hit) return fake.startedAt + hit.atMs;
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const ended = () =>
      (readFileSync(join(env.SPOR_HOME, 'events.jsonl'), 'utf8').match(/"type":"run-ended"/g) ?? []).length;
    let runs = 0;
    const viaSpor = async () => {
      runs += 1;
      const t = Date.now();
      const exit = start(process.execPath, [SPOR_BIN, 'dispatch', task, '--dir', repo], {env, cwd: repo});
      const at = await firstRequestAfter(t);
      if ((await exit) !== 0) throw new Error('spor dispatch failed');
      // Not timed: the run ends (claude answers the scripted "done") before the next sample.
      for (let i = 0; i < 1500 && ended() < runs; i += 1) await new Promise((r) => setTimeout(r, 20));
      return at - t;
    };
    const direct = async () => {
      const t = Date.now();
      const exit = start(plan.argv[0], plan.argv.slice(1), {
        env: {...plan.envValues, ...harnessEnv},
        cwd: repo,
        input: plan.prompt,
      });
      const at = await firstRequestAfter(t);
      await exit;
      return at - t;
    };
    // The direct side's environment: the same names spor gives the harness, with this run's values.
    plan.envValues = Object.fromEntries(
      Object.keys(plan.env)
        .filter((k) => base[k] !== undefined)
        .map((k) => [k, base[k]]),
    );
    await viaSpor();
    await direct();
    const s = await interleave(rounds, {viaSpor, direct});
    return [
      row(
        `real harness: spor dispatch → first model request vs claude -p → first model request (Claude Code, fake model, ${rounds} each)`,
        median(s.viaSpor),
        median(s.direct),
        1.3,
      ),
    ];
  } finally {
    await fake.close();
    rmSync(home, {recursive: true, force: true});
  }
};

await runAlone(import.meta.url, benchRealHarness);
