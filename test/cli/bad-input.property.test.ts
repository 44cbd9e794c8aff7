import {spawn} from 'node:child_process';
import {readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {bootBuiltCli} from '../helpers/commandPaths.js';
import {readLog} from '../helpers/readLog.js';
import {ROOT, runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const WORKER = join(ROOT, 'test', 'helpers', 'badInputWorker.mjs');
const PER_COMMAND_MS = 60_000;

// The values a careless or hostile caller passes: empty, NUL, newlines, control characters,
// prototype keys, option-like, 1 MB; plus random strings mixing them (fixed seed: replayable).
const FIXED = [
  '',
  '\0',
  'a\0b',
  '\n',
  'a\nb',
  '\u001b]0;x\u0007\u001b[2J',
  '\r\t\u007f',
  '__proto__',
  'constructor',
  '-x',
  '--',
  'x'.repeat(1 << 20),
];
const random = fc.sample(
  fc.string({
    unit: fc.constantFrom('a', '-', '_', '.', '/', ' ', '\n', '\0', '\u001b', '\u0007', '__proto__', 'é', '..'),
    maxLength: 24,
  }),
  {numRuns: 3, seed: 11},
);
const VALUES = [...FIXED, ...random];

interface Outcome {
  argv?: Array<string>;
  exitCode?: number;
  stderr?: string;
  done?: boolean;
}

/** Runs every argv in one worker process; resolves with what it reported, and whether it finished in time. */
const runAll = (cases: string, cwd: string): Promise<{outcomes: Array<Outcome>; timedOut: boolean; stderr: string}> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, cases], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {PATH: process.env.PATH ?? ''},
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), PER_COMMAND_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const outcomes = out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Outcome);
      resolve({outcomes, timedOut: signal === 'SIGKILL' || code !== 0, stderr: err});
    });
  });

describe('every command the CLI registers, fed bad values', () => {
  it(
    'ends in time with exit 0, 1 or 2, a one-line error (plus hint) and no stack; the log stays valid; nothing is made outside SPOR_HOME',
    {timeout: 900_000},
    async () => {
      const {home, sporHome} = tempHome();
      // A PATH with git and node only: no npm, no agent CLI, so nothing reaches the network or an agent.
      const bin = tempDir('spor-bin-');
      for (const tool of ['git', 'node']) {
        const found = (process.env.PATH ?? '')
          .split(':')
          .map((d) => join(d, tool))
          .find((p) => {
            try {
              return readdirSync(join(p, '..')).includes(tool);
            } catch {
              return false;
            }
          });
        if (found) symlinkSync(found, join(bin, tool));
      }
      const env = {HOME: home, SPOR_HOME: sporHome, PATH: bin, NO_COLOR: '1', TZ: 'UTC', SPOR_NO_COMPILE_CACHE: '1'};
      // Something to refer to: one repo and one node (so lookups have a graph snapshot to search).
      const work = tempDir('spor-work-');
      expect((await runSpor(['repos', 'add', 'web', work], {home})).exitCode).toBe(0);
      expect((await runSpor(['add', 'Task one', '--type', 'task'], {home})).exitCode).toBe(0);
      expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);

      const {paths} = await bootBuiltCli(env);
      expect(paths.length).toBeGreaterThan(30);
      const cwd = tempDir('spor-cwd-');
      const problems: Array<unknown> = [];
      const timings: Array<string> = [];
      for (const path of paths) {
        // Long-running by design, even with good input: their bad input is covered by the rest.
        if (['serve'].includes(path[0] as string) && path.length === 1) continue;
        const argvs = VALUES.flatMap((v) => [
          [...path, v],
          [...path, v, v],
        ]);
        const cases = join(tempDir('spor-cases-'), 'cases.json');
        writeFileSync(cases, JSON.stringify({env, cwd, argvs}));
        const began = Date.now();
        const {outcomes, timedOut, stderr} = await runAll(cases, cwd);
        timings.push(`${path.join(' ')} ${Date.now() - began}ms`);
        const label = `spor ${path.join(' ')}`;
        if (timedOut) {
          const last = outcomes.filter((o) => 'start' in o).at(-1);
          problems.push({label, problem: 'did not finish in time, or crashed', last, stderr: stderr.slice(0, 500)});
          continue;
        }
        for (const o of outcomes) {
          if (o.done || o.exitCode === undefined) continue;
          // A warning printed before the error (a harness not installed) is a notice of its own.
          const lines = (o.stderr ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('spor: warning: '));
          const ok =
            [0, 1, 2].includes(o.exitCode) &&
            !/internal error|\n\s+at /.test(o.stderr ?? '') &&
            (o.exitCode === 0 ||
              (lines.length >= 1 &&
                lines.length <= 2 &&
                lines[0]?.startsWith('spor: ') === true &&
                (lines.length === 1 || lines[1]?.startsWith('  hint: ') === true)));
          if (!ok) problems.push({label, argv: o.argv, exitCode: o.exitCode, stderr: o.stderr?.slice(0, 400)});
        }
      }
      console.log(`bad input: ${timings.join(', ')}`);
      expect(problems).toEqual([]);

      // The log is whole and every record valid; nothing was made outside SPOR_HOME.
      const doctor = await runSpor(['doctor', '--json'], {home});
      expect(JSON.parse(doctor.stdout)).toMatchObject({healthy: true, issues: []});
      expect(readLog(home).length).toBeGreaterThan(2);
      expect(readdirSync(home)).toEqual(['.spor']);
      expect(readdirSync(cwd)).toEqual([]);
      expect(readdirSync(work)).toEqual([]);
    },
  );
});
