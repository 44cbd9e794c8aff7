import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {packageOfRegistrySpec, packageOfTarball} from '../../../../plugins/plugins/npmInstall.js';
import {classifySpec, entryModule} from '../../../../plugins/plugins/source.js';
import {tempDir} from '../../../helpers/tempHome.js';

// A ustar archive as `npm pack` lays it out: 512-byte headers, contents padded to 512 bytes.
const tar = (files: Record<string, string>): Buffer => {
  const blocks: Array<Buffer> = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    header.write(' '.repeat(8), 148);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
};

describe('what `plugins add` was given', () => {
  it('an existing file or directory is a local plugin, made absolute', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plugin.js'), '');
    expect(classifySpec('plugin.js', dir)).toEqual({kind: 'path', target: join(dir, 'plugin.js')});
    expect(classifySpec('.', dir)).toEqual({kind: 'path', target: dir});
  });

  it('an existing tarball goes to npm by its absolute path', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p-1.0.0.tgz'), '');
    expect(classifySpec('p-1.0.0.tgz', dir)).toEqual({
      kind: 'npm',
      spec: join(dir, 'p-1.0.0.tgz'),
      tarball: join(dir, 'p-1.0.0.tgz'),
    });
  });

  it('anything else not on disk is an npm spec', () => {
    const dir = tempDir();
    for (const spec of ['spor-plugin-jira', 'spor-plugin-jira@1.4.2', '@acme/spor-x@^2'])
      expect(classifySpec(spec, dir)).toEqual({kind: 'npm', spec});
  });

  it.each(['./missing', '../missing', '/no/such/plugin', 'gone.tgz', ''])(
    'refuses %j, spelled like a path that does not exist, with exit 2',
    (arg) => {
      expect(() => classifySpec(arg, tempDir())).toThrow(expect.objectContaining({exitCode: 2, code: 'E_PLUGIN_PATH'}));
    },
  );
});

describe("a plugin directory's module", () => {
  const dirWith = (files: Record<string, string>): string => {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), {recursive: true});
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it.each([
    ['exports as a string', {'package.json': '{"exports": "./lib/a.js", "main": "b.js"}', 'lib/a.js': ''}, 'lib/a.js'],
    [
      'exports with conditions',
      {'package.json': '{"exports": {".": {"require": "./c.cjs", "import": "./e.mjs"}}}', 'e.mjs': '', 'c.cjs': ''},
      'e.mjs',
    ],
    ['bare conditions', {'package.json': '{"exports": {"default": "./d.js"}}', 'd.js': ''}, 'd.js'],
    ['main', {'package.json': '{"main": "src/main.js"}', 'src/main.js': ''}, 'src/main.js'],
    ['index.js without package.json', {'index.js': ''}, 'index.js'],
    ['index.js when package.json names nothing', {'package.json': '{"name": "x"}', 'index.js': ''}, 'index.js'],
  ])('%s', (_what, files, expected) => {
    const dir = dirWith(files);
    expect(entryModule(dir)).toBe(join(dir, expected));
  });

  it('a file is its own module', () => {
    const dir = dirWith({'x.mjs': ''});
    expect(entryModule(join(dir, 'x.mjs'))).toBe(join(dir, 'x.mjs'));
  });

  it('refuses a directory with no module, naming what was looked for', () => {
    expect(() => entryModule(dirWith({'README.md': ''}))).toThrow(
      /no plugin module in .*expected index\.js or package\.json/,
    );
    expect(() => entryModule(dirWith({'package.json': '{"main": "gone.js"}'}))).toThrow(
      /package\.json names gone\.js, which does not exist/,
    );
    expect(() => entryModule(dirWith({'package.json': '{oops'}))).toThrow(/package\.json is not valid JSON/);
  });
});

describe('the npm package a spec installs', () => {
  it.each([
    ['spor-plugin-jira', 'spor-plugin-jira'],
    ['spor-plugin-jira@1.4.2', 'spor-plugin-jira'],
    ['@acme/spor-x', '@acme/spor-x'],
    ['@acme/spor-x@^2.0.0', '@acme/spor-x'],
    ['git+https://example.com/x.git', undefined],
    ['https://example.com/x.tgz', undefined],
  ])('%s → %s', (spec, name) => expect(packageOfRegistrySpec(spec)).toBe(name));

  it("reads the name from a tarball's package.json, gzipped or not", () => {
    const dir = tempDir();
    const archive = tar({
      'package/README.md': 'x'.repeat(700),
      'package/package.json': '{"name": "@acme/spor-x", "version": "1.0.0"}',
      'package/index.js': '',
    });
    writeFileSync(join(dir, 'a.tgz'), gzipSync(archive));
    writeFileSync(join(dir, 'a.tar'), archive);
    expect(packageOfTarball(join(dir, 'a.tgz'))).toBe('@acme/spor-x');
    expect(packageOfTarball(join(dir, 'a.tar'))).toBe('@acme/spor-x');
  });

  it('ignores nested package.json files and says undefined when there is no top-level one', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'b.tgz'),
      gzipSync(tar({'package/node_modules/dep/package.json': '{"name": "dep"}', 'package/index.js': ''})),
    );
    expect(packageOfTarball(join(dir, 'b.tgz'))).toBeUndefined();
  });
});

describe('a tarball spor cannot read', () => {
  it('has no known package (npm then reports what is wrong with it)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.tgz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    writeFileSync(join(dir, 'short.tar'), 'garbage');
    expect(packageOfTarball(join(dir, 'bad.tgz'))).toBeUndefined();
    expect(packageOfTarball(join(dir, 'short.tar'))).toBeUndefined();
    expect(packageOfTarball(join(dir, 'missing.tgz'))).toBeUndefined();
  });
});
