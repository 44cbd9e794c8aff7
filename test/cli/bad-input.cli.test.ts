import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/tempHome.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

describe('bad input is refused at the boundary, promptly, with nothing written', () => {
  it('an empty node id, once the graph snapshot exists: exit 2 naming it, never a hang', async () => {
    const {home} = tempHome();
    expect((await runSpor(['add', 'Task one', '--type', 'task'], {home})).exitCode).toBe(0);
    expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
    const before = readLog(home).length;
    for (const [args, what] of [
      [['get', ''], 'node id'],
      [['set-status', '', 'open'], 'node id'],
      [['priority', '', 'p1'], 'node id'],
      [['ready', ''], 'node id'],
      [['agent', 'use', ''], 'agent'],
      [['capabilities', 'check', ''], 'profile id'],
    ] as const) {
      const r = await runSpor([...args], {home, timeout: 10_000});
      expect({args, timedOut: r.timedOut, exitCode: r.exitCode, stderr: r.stderr}).toEqual({
        args,
        timedOut: false,
        exitCode: 2,
        stderr: `spor: ${what} is empty\n  hint: give the ${what}`,
      });
    }
    expect(readLog(home)).toHaveLength(before);
  });

  it("prototype keys name nothing: '__proto__' is not a slug, 'constructor' is a slug nobody mapped", async () => {
    const {home} = tempHome();
    const work = tempDir();
    expect((await runSpor(['repos', 'add', 'a', work], {home})).exitCode).toBe(0);
    // Both before and after a snapshot of the slice exists.
    for (const round of [1, 2]) {
      const proto = await runSpor(['repos', 'rm', '__proto__'], {home});
      expect({round, exitCode: proto.exitCode, stderr: proto.stderr.split('\n')[0]}).toEqual({
        round,
        exitCode: 2,
        stderr: "spor: invalid repo slug '__proto__'",
      });
      const ctor = await runSpor(['repos', 'rm', 'constructor'], {home});
      expect(ctor.stdout).toBe("no repo 'constructor' is mapped; nothing to remove");
      const slug = await runSpor(['dispatch', 'hello', '--slug', 'constructor', '--print'], {home});
      expect(slug.exitCode).toBe(1);
      expect(slug.stderr).toContain("repo slug 'constructor' is not mapped to a directory on this machine");
      expect((await runSpor(['dispatch', 'hello', '--slug', '__proto__', '--print'], {home})).stderr).toContain(
        "invalid repo slug '__proto__'",
      );
      expect((await runSpor(['repos', 'list'], {home})).stdout).toBe(`a  ${work}`);
    }
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added']);
  });
});

describe('spor plugins add never lets a spec reach npm as an option', () => {
  it("refuses a spec starting with '-' before npm runs, and ends npm's options with -- otherwise", async () => {
    const {home} = tempHome();
    const bin = tempDir();
    const calls = join(bin, 'calls');
    // A stub npm that records its argv (one JSON line per call) and fails: nothing is installed.
    writeFileSync(
      join(bin, 'npm'),
      `#!/usr/bin/env node\nrequire('node:fs').appendFileSync(${JSON.stringify(calls)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.exit(1);\n`,
    );
    chmodSync(join(bin, 'npm'), 0o755);
    const env = {PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`};

    const r = await runSpor(['plugins', 'add', '--', '--ignore-scripts=false'], {home, env});
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "spor: '--ignore-scripts=false' is not a package: a plugin spec cannot start with '-'",
    );
    expect(existsSync(calls)).toBe(false);

    expect((await runSpor(['plugins', 'add', 'some-plugin'], {home, env})).exitCode).toBe(1);
    const [argv] = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Array<string>);
    expect(argv?.slice(-2)).toEqual(['--', 'some-plugin']);
    expect(argv).toContain('--ignore-scripts');
    expect(readLog(home)).toEqual([]);
  });
});

describe('an empty path never quietly means the current directory', () => {
  it('repos add "", import "", worktrees approve "": exit 2 naming it, nothing written', async () => {
    const {home} = tempHome();
    for (const [args, first] of [
      [['repos', 'add', 'web', ''], 'spor: path is empty'],
      [['import', ''], 'spor: directory is empty'],
      [['worktrees', 'approve', ''], 'spor: repo is empty'],
    ] as const) {
      const r = await runSpor([...args], {home, cwd: tempDir()});
      expect({args, exitCode: r.exitCode, first: r.stderr.split('\n')[0]}).toEqual({args, exitCode: 2, first});
      expect(r.stderr).toMatch(/hint: .*`\.`/);
    }
    expect(readLog(home)).toEqual([]);
  });
});
