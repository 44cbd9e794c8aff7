import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/tempHome.js';
import {startWorker, type Worker} from '../helpers/workers.js';

const EACH = 60;

/** Runs the workers together and returns the log's seqs and ids, in file order. */
const race = async (sporHome: string, workers: Array<Worker>): Promise<Array<{seq: number; id: string}>> => {
  expect(await Promise.all(workers.map((w) => w.next()))).toEqual(workers.map(() => 'ready'));
  for (const w of workers) w.child.stdin.end('go\n');
  const ends = await Promise.all(workers.map((w) => w.exited));
  expect(ends.map((e, i) => ({...e, stderr: workers[i]?.stderr()}))).toEqual(
    workers.map(() => ({code: 0, signal: null, stderr: ''})),
  );
  return readFileSync(join(sporHome, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as {seq: number; id: string});
};

const gapFree = (lines: Array<{seq: number; id: string}>, total: number): void => {
  expect(lines.map((l) => l.seq)).toEqual(Array.from({length: total}, (_, i) => i + 1));
  expect(new Set(lines.map((l) => l.id)).size).toBe(total);
};

// `unshare -n` needs CAP_SYS_ADMIN (root in CI containers); elsewhere the case says why it is skipped.
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;

describe('the log lock follows the directory, not the way it is named or reached', () => {
  it('writers through SPOR_HOME and through a symlink to it share one lock: seq gap-free, no duplicate', async () => {
    const real = join(tempDir('spor-lockns-'), '.spor');
    mkdirSync(real, {mode: 0o700});
    const alias = `${real}-alias`;
    symlinkSync(real, alias);
    const workers = [real, alias, real, alias].map((home, i) =>
      startWorker(['append', home, `w${i}`, String(EACH)], `w${i}`),
    );
    gapFree(await race(real, workers), 4 * EACH);
  });

  it.skipIf(!canUnshare)('writers in another network namespace (unshare -n) share the lock too', async () => {
    const home = join(tempDir('spor-lockns-'), '.spor');
    const workers = [0, 1, 2, 3].map((i) =>
      startWorker(['append', home, `w${i}`, String(EACH)], `w${i}`, i % 2 ? {wrapper: ['unshare', '-n']} : {}),
    );
    gapFree(await race(home, workers), 4 * EACH);
  });
  if (!canUnshare)
    console.log('lockNamespace: skipped the network-namespace case: `unshare -n` needs root (CAP_SYS_ADMIN) here');
});
