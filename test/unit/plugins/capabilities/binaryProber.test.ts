import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {binaryProber, findExecutable, versionFrom} from '../../../../plugins/capabilities/api.js';
import {tempDir} from '../../../helpers/tempHome.js';

// Finding binaries is file-system work and runs here; running `--version` spawns a child and is
// covered by test/cli/capabilities.cli.test.ts with stub executables.
const file = (dir: string, name: string, mode: number): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\necho 1.0.0\n');
  chmodSync(path, mode);
  return path;
};

const ctx = (env: NodeJS.ProcessEnv, settings: Record<string, string> = {}) => ({
  env,
  signal: new AbortController().signal,
  setting: async (key: string) => settings[key] ?? '',
});

describe('findExecutable', () => {
  it('returns the first executable file of that name along PATH', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    file(a, 'codex', 0o644);
    mkdirSync(join(b, 'codex'));
    const wanted = file(c, 'codex', 0o755);
    file(tempDir(), 'codex', 0o755);
    expect(await findExecutable('codex', [a, b, c].join(':'))).toBe(wanted);
  });

  it('skips empty and relative PATH entries, and never takes a name with a slash', async () => {
    const dir = tempDir();
    file(dir, 'codex', 0o755);
    expect(await findExecutable('codex', `::.:relative/bin`)).toBeUndefined();
    expect(await findExecutable('codex', undefined)).toBeUndefined();
    expect(await findExecutable(`../${'codex'}`, dir)).toBeUndefined();
    expect(await findExecutable('codex', `:${dir}`)).toBe(join(dir, 'codex'));
  });
});

describe('versionFrom', () => {
  it.each([
    ['2.0.14 (Claude Code)\n', '2.0.14'],
    ['codex-cli 0.46.0\n', '0.46.0'],
    ['\n  0.9.0-beta.1+sha\nmore', '0.9.0-beta.1+sha'],
    ['2025.09.18-7ae6800', '2025.09.18-7ae6800'],
    ['nightly build\n', 'nightly build'],
    ['   \n', undefined],
  ])('reads %j as %j', (out, version) => {
    expect(versionFrom(out)).toBe(version);
  });
});

describe('binaryProber without a binary', () => {
  const p = binaryProber({name: 'codex', harness: 'codex', binary: 'codex', settingKey: 'harness.codex.binary'});

  it('finds nothing (and says so with an empty axis) when the binary is not on PATH', async () => {
    expect(await p.probe(ctx({PATH: tempDir()}))).toEqual({harnesses: []});
  });

  it('fails, naming the setting, when the setting points at nothing usable', async () => {
    const dir = tempDir();
    const plain = file(dir, 'plain', 0o644);
    await expect(p.probe(ctx({PATH: dir, HOME: dir}, {'harness.codex.binary': '/nope/codex'}))).rejects.toThrow(
      'harness.codex.binary points at /nope/codex, which is not an executable file',
    );
    await expect(p.probe(ctx({PATH: dir, HOME: dir}, {'harness.codex.binary': plain}))).rejects.toThrow(
      `harness.codex.binary points at ${plain}, which is not an executable file`,
    );
    await expect(p.probe(ctx({PATH: dir, HOME: dir}, {'harness.codex.binary': '~/missing'}))).rejects.toThrow(
      `harness.codex.binary points at ${join(dir, 'missing')}`,
    );
    await expect(p.probe(ctx({PATH: dir}, {'harness.codex.binary': 'bin/codex'}))).rejects.toThrow(
      "harness.codex.binary must be an absolute path or a command name, not 'bin/codex'",
    );
    await expect(p.probe(ctx({PATH: dir}, {'harness.codex.binary': 'codex-nightly'}))).rejects.toThrow(
      "harness.codex.binary names 'codex-nightly', which is not an executable on PATH",
    );
  });
});
