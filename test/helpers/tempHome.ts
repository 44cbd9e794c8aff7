import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach} from 'vitest';
import {killAllWith, waitForNoneWith} from './processes.js';

const made: Array<string> = [];
const homes = new Set<string>();

/** A fresh temporary directory (real path), removed after the test. */
export const tempDir = (prefix = 'spor-test-'): string => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
};

/** A temporary HOME; spor's data goes to `<home>/.spor`. */
export const tempHome = (): {home: string; sporHome: string} => {
  const home = tempDir('spor-home-');
  homes.add(home);
  return {home, sporHome: join(home, '.spor')};
};

// A real dispatch leaves a detached supervisor that writes the run's end (and its hooks' records)
// into the home after the test's last command returned: removing the home under it fails with
// ENOTEMPTY, or it recreates what was removed. A test waits for the runs it starts; should one not,
// its homes' processes end first here, and one that outlives the bound is killed rather than left
// writing into the next test's temp space.
const settle = async (home: string): Promise<void> => {
  if ((await waitForNoneWith('HOME', home, 20_000)).length > 0) killAllWith('HOME', home);
};

/** Removes every directory tempDir() made so far, once no process still runs in one of its homes. */
export const removeTempDirs = async (): Promise<void> => {
  const dirs = made.splice(0);
  for (const dir of dirs) if (homes.delete(dir)) await settle(dir);
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
};

// Registered by the first test file that imports this module. Where files share one module graph
// (the unit project runs with isolate: false), the project's setup file registers it for the others.
afterEach(removeTempDirs);
