import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveExecutable} from '../../../../plugins/hooks/executable.js';
import {tempDir} from '../../../helpers/tempHome.js';

const script = (dir: string, name: string, mode = 0o755): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
};

describe('resolveExecutable', () => {
  it('resolves a relative path against the current directory and keeps an absolute one', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'bin'));
    const path = script(join(cwd, 'bin'), 'notify');
    expect(resolveExecutable('./bin/notify', cwd, '')).toBe(path);
    expect(resolveExecutable('bin/notify', cwd, '')).toBe(path);
    expect(resolveExecutable(path, '/', '')).toBe(path);
  });

  it('looks a bare name up on PATH, first directory first', () => {
    const [a, b, cwd] = [tempDir(), tempDir(), tempDir()];
    script(b, 'notify');
    const first = script(a, 'notify');
    expect(resolveExecutable('notify', cwd, `relative/dir::${a}:${b}`)).toBe(first);
  });

  it('skips a non-executable file of that name on PATH', () => {
    const [a, b] = [tempDir(), tempDir()];
    script(a, 'notify', 0o644);
    const runnable = script(b, 'notify');
    expect(resolveExecutable('notify', tempDir(), `${a}:${b}`)).toBe(runnable);
  });

  it('does not take a bare name from the current directory, and says how to', () => {
    const cwd = tempDir();
    script(cwd, 'notify');
    expect(() => resolveExecutable('notify', cwd, tempDir())).toThrow(
      expect.objectContaining({
        message: `no executable 'notify' on PATH`,
        exitCode: 2,
        hint: 'to use the file in this directory, write ./notify',
      }),
    );
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'nope'), /hook executable not found: .*nope$/],
    ['a directory', (d: string) => d, /^not a file: /],
    ['a file without the execute bit', (d: string) => script(d, 'plain', 0o644), /^not executable: .*plain$/],
  ])('refuses %s with a usage error', (_what, pathOf, message) => {
    const dir = tempDir();
    let error: unknown;
    try {
      resolveExecutable(pathOf(dir), dir, '');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({exitCode: 2, message: expect.stringMatching(message), hint: expect.any(String)});
  });
});
