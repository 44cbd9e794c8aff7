import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const spor = (args: Array<string>, home: string) => runSpor(args, {home});

const checkout = (files: Array<string>): string => {
  const dir = tempDir();
  for (const f of files) writeFileSync(join(dir, f), '');
  return dir;
};

describe('repo nodes and tags (built binary)', () => {
  it('mapping a slug brings its repo-<slug> node into the graph (no extra event); re-pointing keeps the one node', async () => {
    const {home} = tempHome();
    const a = tempDir();
    const b = tempDir();
    await spor(['repos', 'add', 'web', a], home);
    await spor(['repos', 'add', 'web', b], home);
    expect(readLog(home).map((e) => e.type)).toEqual(['repo-added', 'repo-added']);
    const node = JSON.parse((await spor(['get', 'repo-web', '--json'], home)).stdout).node;
    expect(node).toMatchObject({id: 'repo-web', type: 'repo', title: 'web'});
    expect(JSON.parse((await spor(['repos', 'tags', '--json'], home)).stdout)).toEqual([
      {id: 'repo-web', slugs: ['web'], tags: []},
    ]);
  });

  it('tag sets normalized tags; the same set in another order writes nothing; an invalid tag writes nothing', async () => {
    const {home} = tempHome();
    await spor(['repos', 'add', 'web', tempDir()], home);
    const set = await spor(['repos', 'tag', 'web', ' Node', 'docker,NODE'], home);
    expect(set.stdout).toBe('repo-web tags: docker node');
    expect(readLog(home).at(-1)).toMatchObject({
      type: 'node-updated',
      data: {id: 'repo-web', set: {tags: ['docker', 'node']}},
    });
    const count = readLog(home).length;
    const same = await spor(['repos', 'tag', 'web', 'node', 'docker'], home);
    expect(same.exitCode).toBe(0);
    expect(same.stdout).toContain('nothing written');
    const bad = await spor(['repos', 'tag', 'web', 'ok', 'no way'], home);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("invalid tag 'no way'");
    expect(readLog(home)).toHaveLength(count);
    const unknown = await spor(['repos', 'tag', 'ghost', 'node'], home);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('spor repos add ghost <path>');
    expect(readLog(home)).toHaveLength(count);
  });

  it('tag with no tags shows the current ones and suggestions detected from the checkout, with the command to apply them', async () => {
    const {home} = tempHome();
    const dir = checkout([
      'package.json',
      'requirements.txt',
      'go.mod',
      'Cargo.toml',
      'main.tf',
      'Gemfile',
      'Dockerfile',
    ]);
    await spor(['repos', 'add', 'mono', dir], home);
    await spor(['repos', 'tag', 'mono', 'node', 'infra'], home);
    const r = await spor(['repos', 'tag', 'mono'], home);
    expect(r.stdout.split('\n')).toEqual([
      'repo-mono tags: infra node',
      `suggested from ${dir}: docker go python ruby rust terraform`,
      'apply with: spor repos tag mono docker go infra node python ruby rust terraform',
    ]);
    const bare = tempDir();
    mkdirSync(join(bare, 'src'));
    await spor(['repos', 'add', 'bare', bare], home);
    expect((await spor(['repos', 'tag', 'bare'], home)).stdout).toContain(`no suggestions from ${bare}`);
  });

  it('untag removes some tags or all; norms with applies_to_tags follow the repo tags in the brief', async () => {
    const {home} = tempHome();
    await spor(['repos', 'add', 'web', tempDir()], home);
    await spor(['repos', 'tag', 'web', 'node', 'docker'], home);
    expect((await spor(['repos', 'untag', 'web', 'docker'], home)).stdout).toBe('repo-web tags: node');
    expect((await spor(['repos', 'untag', 'web', 'python'], home)).stdout).toBe('repo-web: nothing to remove');
    await spor(['add', 'Use pnpm', '--type', 'norm', '--id', 'norm-pnpm'], home);
    const imported = tempDir();
    writeFileSync(
      join(imported, 'norm-node.md'),
      '---\nid: norm-node-only\ntype: norm\ntitle: Node repos pin their engines\nstatus: active\napplies_to_tags: [node]\n---\n',
    );
    expect((await spor(['import', imported], home)).exitCode).toBe(0);
    await spor(['add', 'Ship the form', '--type', 'task', '--repo', 'web', '--id', 'task-form'], home);
    expect((await spor(['brief', 'task-form'], home)).stdout).toContain('norm-node-only');
    expect((await spor(['repos', 'untag', 'web'], home)).stdout).toBe('repo-web tags: (none)');
    expect((await spor(['brief', 'task-form'], home)).stdout).not.toContain('norm-node-only');
    expect(JSON.parse((await spor(['repos', 'tags', '--json'], home)).stdout)).toEqual([
      {id: 'repo-web', slugs: ['web'], tags: []},
    ]);
  });
});
