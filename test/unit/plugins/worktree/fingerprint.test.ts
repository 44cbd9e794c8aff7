import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {fingerprint, resolveSetupExecutable} from '../../../../plugins/worktree/fingerprint.js';
import {tempDir} from '../../../helpers/tempHome.js';

const script = (dir: string, rel: string, text = '#!/bin/sh\nexit 0\n', mode = 0o755): string => {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), {recursive: true});
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
};

describe('resolveSetupExecutable', () => {
  it('resolves a name with a slash against the checkout, and takes an absolute path as it is', () => {
    const repo = tempDir();
    const path = script(repo, 'scripts/setup');
    expect(resolveSetupExecutable('scripts/setup', repo, '', 'x')).toBe(path);
    expect(resolveSetupExecutable('./scripts/setup', repo, '', 'x')).toBe(path);
    expect(resolveSetupExecutable(path, tempDir(), '', 'x')).toBe(path);
  });

  it('looks a bare name up on PATH, never in the checkout', () => {
    const repo = tempDir();
    script(repo, 'setup');
    const bin = tempDir();
    const onPath = script(bin, 'setup');
    expect(resolveSetupExecutable('setup', repo, `relative:${bin}`, 'x')).toBe(onPath);
    expect(() => resolveSetupExecutable('setup', repo, '', 'dispatch.worktreeSetup in /r/.spor.json')).toThrow(
      `the worktree setup command (dispatch.worktreeSetup in /r/.spor.json) names 'setup', which is not an executable on PATH`,
    );
  });

  it('refuses a missing or non-executable file, naming it', () => {
    const repo = tempDir();
    script(repo, 'plain', 'x', 0o644);
    mkdirSync(join(repo, 'dir'));
    for (const rel of ['missing', 'plain', 'dir']) {
      expect(() => resolveSetupExecutable(`./${rel}`, repo, '', 'o')).toThrow(
        `the worktree setup command (o) names ${join(repo, rel)}, which is not an executable file`,
      );
    }
  });
});

describe('fingerprint', () => {
  it('changes with one byte of the script or one argument, and only then', () => {
    const dir = tempDir();
    const path = script(dir, 'setup', '#!/bin/sh\necho a\n');
    const first = fingerprint(['setup', '--install'], path);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(['setup', '--install'], path)).toBe(first);
    expect(fingerprint(['setup'], path)).not.toBe(first);
    expect(fingerprint(['setup', '--instal', 'l'], path)).not.toBe(first);
    writeFileSync(path, '#!/bin/sh\necho b\n');
    expect(fingerprint(['setup', '--install'], path)).not.toBe(first);
    writeFileSync(path, '#!/bin/sh\necho a\n');
    expect(fingerprint(['setup', '--install'], path)).toBe(first);
  });
});
