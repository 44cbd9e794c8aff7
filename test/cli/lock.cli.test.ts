import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const listening = (address: string): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(address, () => resolve(server));
  });

describe('the event log lock', () => {
  it.skipIf(process.platform !== 'linux')(
    'cannot be squatted: a process holding the old predictable abstract name does not block a write',
    async () => {
      const {home, sporHome} = tempHome();
      // The name the lock used to have: anyone on the machine could bind it first.
      const name = `\0spor-log-${createHash('sha256').update(sporHome).digest('hex').slice(0, 32)}`;
      const squatter = await listening(name);
      try {
        const r = await runSpor(['add', 'Task one', '--type', 'task'], {home, timeout: 15_000});
        expect(r.stderr).toBe('');
        expect(r.exitCode).toBe(0);
        expect(readLog(home).map((e) => e.type)).toEqual(['node-added']);
      } finally {
        squatter.close();
      }
    },
  );

  it('a holder killed with SIGKILL leaves its socket behind; the next writer clears it and writes at once', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome, {mode: 0o700});
    const sock = join(sporHome, 'events.lock.sock');
    const holder = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(sock)}, () => console.log('held'))`],
      {stdio: ['ignore', 'pipe', 'inherit']},
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const gone = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await gone;
    expect(existsSync(sock)).toBe(true);

    const r = await runSpor(['add', 'Task one', '--type', 'task'], {home, timeout: 15_000});
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(readLog(home).map((e) => e.seq)).toEqual([1]);
    // Released cleanly: no socket left behind by a writer that exited normally.
    expect(existsSync(sock)).toBe(false);
  });

  it('a live holder is waited for, not cleared', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome, {mode: 0o700});
    const holder = await listening(join(sporHome, 'events.lock.sock'));
    const writer = runSpor(['add', 'Task one', '--type', 'task'], {home, timeout: 30_000});
    // The writer is still waiting while the lock is held: nothing is written yet.
    const early = await Promise.race([writer.then(() => 'done'), new Promise((r) => setTimeout(r, 1500, 'waiting'))]);
    expect(early).toBe('waiting');
    expect(existsSync(join(sporHome, 'events.jsonl')) ? readLog(home) : []).toEqual([]);
    holder.close();
    const r = await writer;
    expect(r.exitCode).toBe(0);
    expect(readLog(home).map((e) => e.seq)).toEqual([1]);
  });
});
