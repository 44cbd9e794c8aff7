import {statSync} from 'node:fs';
import {join} from 'node:path';
import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {runSpor, SPOR_BIN, sporEnv} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';
import {bootBuiltCli} from '../helpers/commandPaths.js';

describe('spor (global behaviour)', () => {
  it('--version prints the package version', async () => {
    const {home} = tempHome();
    const r = await runSpor(['--version'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands of every built-in plugin', async () => {
    const {home} = tempHome();
    const r = await runSpor(['--help'], {home});
    expect(r.exitCode).toBe(0);
    for (const c of ['repos add', 'config set']) expect(r.stdout).toContain(`spor ${c}`);
  });

  it('<command> --help describes that command', async () => {
    const {home} = tempHome();
    const r = await runSpor(['repos', 'add', '--help'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toLowerCase()).toContain('map a repo slug to a directory');
  });

  it('the help of a group with a default command lists the rest of the group (`spor repos --help`)', async () => {
    const {home} = tempHome();
    const r = await runSpor(['repos', '--help'], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Also under `spor repos`:');
    for (const sub of ['add', 'rm', 'tags', 'tag', 'untag'])
      expect(r.stdout).toMatch(new RegExp(`\\n  spor repos ${sub} +\\S`));
  });

  it('an unknown command exits 2 and suggests the closest one on stderr', async () => {
    const {home} = tempHome();
    const r = await runSpor(['repoz', 'list'], {home});
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`spor: unknown command 'repoz'`);
    expect(r.stderr).toContain('did you mean `spor repos`?');
    const sub = await runSpor(['repos', 'lst'], {home});
    expect(sub.exitCode).toBe(2);
    expect(sub.stderr).toContain('did you mean `spor repos list`?');
  });

  it('an unknown option is a usage error (exit 2) naming it, with a pointer to --help', async () => {
    const {home} = tempHome();
    const r = await runSpor(['repos', 'list', '--bogus'], {home});
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^spor: unknown option '--bogus' for `spor repos list`/);
    expect(r.stderr).toContain('spor repos list --help');
  });

  it('every command names an unknown option and the nearest one it takes (exit 2, nothing written)', async () => {
    const {home} = tempHome();
    const {paths, run} = await bootBuiltCli({HOME: home, SPOR_HOME: join(home, '.spor'), PATH: '/usr/bin:/bin'});
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) {
      const r = await run([...path, '--definitely-bogus']);
      const label = `spor ${path.join(' ')}`;
      expect({label, exit: r.exitCode, stdout: r.stdout}).toEqual({label, exit: 2, stdout: ''});
      expect(r.stderr).toMatch(new RegExp(`^spor: unknown option '--definitely-bogus'`));
      expect(r.stderr).toMatch(/hint: (did you mean|the nearest it takes is|see `spor)/);
    }
    expect(() => statSync(join(home, '.spor'))).toThrow();
  });

  it('a mistyped option gets "did you mean" with the closest option of that very command', async () => {
    const {home} = tempHome();
    const r = await runSpor(['dispatch', 'x', '--dir', '.', '--prnt'], {home});
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("spor: unknown option '--prnt' for `spor dispatch`");
    expect(r.stderr).toContain('did you mean --print?');
    const l = await runSpor(['log', '--limt', '3'], {home});
    expect(l.stderr).toContain('did you mean --limit?');
  });

  it('reads never create SPOR_HOME; the first write creates it private to the user', async () => {
    const {home} = tempHome();
    await runSpor(['repos', 'list'], {home});
    expect(() => statSync(join(home, '.spor'))).toThrow();
    await runSpor(['repos', 'add', 'svc', home], {home});
    expect(statSync(join(home, '.spor')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, '.spor', 'events.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('stops quietly when its reader closes the pipe early (`spor --help | head -1`)', async () => {
    const {home} = tempHome();
    const child = spawn(process.execPath, [SPOR_BIN, '--help'], {
      env: sporEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
