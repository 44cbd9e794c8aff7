import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

describe('spor repos', () => {
  it('says how to add a repo when the map is empty, and --json prints []', async () => {
    const {home} = tempHome();
    const text = await runSpor(['repos'], {home});
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('spor repos add <slug> <path>');
    const json = await runSpor(['repos', 'list', '--json'], {home});
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('maps slugs to absolute directories, lists them sorted, and records repo-added', async () => {
    const {home} = tempHome();
    const work = tempDir();
    mkdirSync(join(work, 'b-repo'));
    mkdirSync(join(work, 'a-repo'));
    expect((await runSpor(['repos', 'add', 'zeta', 'b-repo'], {home, cwd: work})).stdout).toBe(
      `mapped zeta → ${join(work, 'b-repo')}`,
    );
    await runSpor(['repos', 'add', 'alpha', join(work, 'a-repo')], {home});
    const list = await runSpor(['repos', 'list', '--json'], {home});
    expect(JSON.parse(list.stdout)).toEqual([
      {slug: 'alpha', path: join(work, 'a-repo')},
      {slug: 'zeta', path: join(work, 'b-repo')},
    ]);
    const text = await runSpor(['repos', 'list'], {home});
    expect(text.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['alpha', 'zeta']);
    expect(readLog(home).map((e) => [e.type, e.data])).toEqual([
      ['repo-added', {slug: 'zeta', path: join(work, 'b-repo')}],
      ['repo-added', {slug: 'alpha', path: join(work, 'a-repo')}],
    ]);
  });

  it('re-points an existing slug and says from where to where; the same mapping writes nothing', async () => {
    const {home} = tempHome();
    const a = tempDir();
    const b = tempDir();
    await runSpor(['repos', 'add', 'svc', a], {home});
    const moved = await runSpor(['repos', 'add', 'svc', b], {home});
    expect(moved.stdout).toBe(`re-pointed svc: ${a} → ${b}`);
    const again = await runSpor(['repos', 'add', 'svc', b], {home});
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already mapped');
    expect(readLog(home)).toHaveLength(2);
  });

  it('rm of an unknown slug says so and exits 0; rm of a known one records repo-removed', async () => {
    const {home} = tempHome();
    const unknown = await runSpor(['repos', 'rm', 'ghost'], {home});
    expect(unknown.exitCode).toBe(0);
    expect(unknown.stdout).toContain(`no repo 'ghost' is mapped`);
    await runSpor(['repos', 'add', 'svc', tempDir()], {home});
    const rm = await runSpor(['repos', 'rm', 'svc'], {home});
    expect(rm.exitCode).toBe(0);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added', 'repo-removed']);
    expect(JSON.parse((await runSpor(['repos', 'list', '--json'], {home})).stdout)).toEqual([]);
  });

  it.each([
    ['an invalid slug', ['repos', 'add', 'Bad_Slug', '.'], /invalid repo slug 'Bad_Slug'/],
    ['a missing path', ['repos', 'add', 'svc', '/definitely/not/here'], /directory not found: \/definitely\/not\/here/],
    ['a file instead of a directory', ['repos', 'add', 'svc', 'file.txt'], /not a directory: .*file\.txt/],
  ])('refuses %s with exit 2, a one-line error and a hint, writing nothing', async (_what, args, message) => {
    const {home} = tempHome();
    writeFileSync(join(home, 'file.txt'), 'x');
    const r = await runSpor(args, {home});
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const [first, second] = r.stderr.split('\n');
    expect(first).toMatch(/^spor: /);
    expect(first).toMatch(message);
    expect(second).toMatch(/^ {2}hint: /);
    expect(readLog(home)).toEqual([]);
  });

  it('30 concurrent `repos add` processes with different slugs all land', async () => {
    const {home} = tempHome();
    const dir = tempDir();
    const results = await Promise.all(
      Array.from({length: 30}, (_, i) => runSpor(['repos', 'add', `repo-${i}`, dir], {home})),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(30).fill(0));
    const list = JSON.parse((await runSpor(['repos', 'list', '--json'], {home})).stdout) as Array<{slug: string}>;
    expect(list.map((r) => r.slug).sort()).toEqual(Array.from({length: 30}, (_, i) => `repo-${i}`).sort());
    expect(readLog(home).map((e) => e.seq)).toEqual(Array.from({length: 30}, (_, i) => i + 1));
  });
});
