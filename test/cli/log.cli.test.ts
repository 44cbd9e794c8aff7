import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor, SPOR_BIN, sporEnv} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

describe('spor log', () => {
  it('on a fresh machine says the log is empty and creates no SPOR_HOME', async () => {
    const {home, sporHome} = tempHome();
    const text = await runSpor(['log'], {home});
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toBe('the event log is empty');
    const json = await runSpor(['log', '--json'], {home});
    expect(json.exitCode).toBe(0);
    expect(json.stdout).toBe('');
    expect(existsSync(sporHome)).toBe(false);
  });

  it('prints what `spor repos add` recorded, oldest first, as text and as NDJSON', async () => {
    const {home} = tempHome();
    const work = tempDir();
    for (const slug of ['alpha', 'beta'])
      expect((await runSpor(['repos', 'add', slug, work], {home})).exitCode).toBe(0);
    expect((await runSpor(['repos', 'rm', 'alpha'], {home})).exitCode).toBe(0);
    const stored = readLog(home);

    const text = await runSpor(['log'], {home});
    expect(text.exitCode).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(`^#1  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  repo-added  alpha → ${work}  \\(machine:[^)]+\\)$`),
    );
    expect(lines[1]).toContain(`  repo-added  beta → ${work}  `);
    expect(lines[2]).toMatch(/^#3 .* repo-removed {2}alpha {2}\(/);

    const json = await runSpor(['log', '--json', '--type', 'repo-added', '--limit', '1'], {home});
    expect(json.exitCode).toBe(0);
    const {crc: _crc, ...beta} = stored[1] as (typeof stored)[number] & {crc: string};
    expect(json.stdout.split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([beta]);
  });

  it('--follow prints events another spor process appends, and exits 0 on SIGINT', async () => {
    const {home} = tempHome();
    const work = tempDir();
    await runSpor(['repos', 'add', 'first', work], {home});
    const follower = execa(process.execPath, [SPOR_BIN, 'log', '--follow', '--json'], {
      cwd: home,
      env: sporEnv(home),
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    let out = '';
    const lines = (): Array<{seq: number; type: string; data: {slug: string}}> =>
      out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as {seq: number; type: string; data: {slug: string}});
    const waitForLines = async (n: number): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (lines().length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} lines; got: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    follower.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });

    await waitForLines(1);
    expect(lines()[0]).toMatchObject({seq: 1, type: 'repo-added', data: {slug: 'first'}});
    expect((await runSpor(['repos', 'add', 'second', work], {home})).exitCode).toBe(0);
    await waitForLines(2);
    expect(lines()[1]).toMatchObject({seq: 2, type: 'repo-added', data: {slug: 'second'}});

    follower.kill('SIGINT');
    const result = await follower;
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(lines()).toHaveLength(2);
  });

  it('--follow on a machine with no log waits for the first event without creating SPOR_HOME', async () => {
    const {home, sporHome} = tempHome();
    const follower = execa(process.execPath, [SPOR_BIN, 'log', '--follow'], {
      cwd: home,
      env: sporEnv(home),
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    let out = '';
    follower.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const until = async (check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out; got: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => out.includes('waiting for new events'));
    expect(existsSync(sporHome)).toBe(false);
    await runSpor(['repos', 'add', 'late', tempDir()], {home});
    await until(() => out.includes('repo-added  late'));
    follower.kill('SIGTERM');
    expect((await follower).exitCode).toBe(0);
    expect(existsSync(join(sporHome, 'events.jsonl'))).toBe(true);
  });
});
