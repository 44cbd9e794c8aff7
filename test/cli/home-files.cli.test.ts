import {chmodSync, mkdirSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

describe('what spor keeps under SPOR_HOME is private to its user', () => {
  it('snapshot files are 0600 even under umask 000', async () => {
    const {home, sporHome} = tempHome();
    const work = tempDir();
    // The child inherits this process's umask: 000 makes lowdb's default 0666.
    const old = process.umask(0);
    try {
      expect((await runSpor(['repos', 'add', 'a', work], {home})).exitCode).toBe(0);
      expect((await runSpor(['repos', 'list'], {home})).exitCode).toBe(0);
      expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
    } finally {
      process.umask(old);
    }
    const snapshots = join(sporHome, 'snapshots');
    const files = readdirSync(snapshots);
    expect(files).toContain('repos.json');
    for (const f of files) expect({f, mode: statSync(join(snapshots, f)).mode & 0o777}).toEqual({f, mode: 0o600});
    expect(statSync(join(sporHome, 'events.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('an existing SPOR_HOME others can read gets a warning on the next write, once', async () => {
    const {home, sporHome} = tempHome();
    mkdirSync(sporHome);
    chmodSync(sporHome, 0o755);
    const r = await runSpor(['repos', 'add', 'a', tempDir()], {home});
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      `spor: warning: ${sporHome} can be read by others (mode 0755); run \`chmod 700 ${sporHome}\``,
    );
    chmodSync(sporHome, 0o700);
    expect((await runSpor(['repos', 'add', 'b', tempDir()], {home})).stderr).toBe('');
  });
});
