import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach} from 'vitest';

const made: Array<string> = [];

/** A fresh temporary directory (real path), removed after the test. */
export const tempDir = (prefix = 'spor-test-'): string => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
};

/** A temporary HOME; spor's data goes to `<home>/.spor`. */
export const tempHome = (): {home: string; sporHome: string} => {
  const home = tempDir('spor-home-');
  return {home, sporHome: join(home, '.spor')};
};

/** Removes every directory tempDir() made so far. */
export const removeTempDirs = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
};

// Registered by the first test file that imports this module. Where files share one module graph
// (the unit project runs with isolate: false), the project's setup file registers it for the others.
afterEach(removeTempDirs);
