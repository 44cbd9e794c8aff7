import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {crc32} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

/** A home with repo `a` mapped and every snapshot written; returns the repos snapshot's path. */
const seeded = async (home: string, sporHome: string, work: string): Promise<string> => {
  expect((await runSpor(['repos', 'add', 'a', work], {home})).exitCode).toBe(0);
  expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
  return join(sporHome, 'snapshots', 'repos.json');
};

describe('a snapshot is trusted only when it is what its writer wrote, and what the log says', () => {
  it('a snapshot edited by hand is not served: the slice is rebuilt from the log', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    const file = await seeded(home, sporHome, work);
    writeFileSync(file, readFileSync(file, 'utf8').replace(work, '/tmp/elsewhere'));

    expect((await runSpor(['repos', 'list'], {home})).stdout).toBe(`a  ${work}`);
    expect(readFileSync(file, 'utf8')).toContain(work);
    expect((await runSpor(['doctor'], {home})).exitCode).toBe(0);
  });

  it('one whose checksum was made to match is caught by doctor comparing it with a replay; --repair rebuilds it', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    const file = await seeded(home, sporHome, work);
    const head = JSON.parse(readFileSync(file, 'utf8')) as {state: {bySlug: Record<string, string>}; sum?: string};
    head.state.bySlug.a = '/tmp/elsewhere';
    head.sum = crc32(JSON.stringify(head.state)).toString(16).padStart(8, '0');
    writeFileSync(file, JSON.stringify(head));

    const check = await runSpor(['doctor'], {home});
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/repos\s+at seq 1, but holds something a replay of the log does not/);
    expect(check.stderr.split('\n')[0]).toBe('spor: the repos snapshot holds something a replay of the log does not');
    expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
    expect((await runSpor(['repos', 'list'], {home})).stdout).toBe(`a  ${work}`);
  });
});
