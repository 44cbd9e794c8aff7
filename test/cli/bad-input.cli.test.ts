import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

describe('bad input is refused at the boundary, promptly, with nothing written', () => {
  it('an empty node id, once the graph snapshot exists: exit 2 naming it, never a hang', async () => {
    const {home} = tempHome();
    expect((await runSpor(['add', 'Task one', '--type', 'task'], {home})).exitCode).toBe(0);
    expect((await runSpor(['doctor', '--repair'], {home})).exitCode).toBe(0);
    const before = readLog(home).length;
    for (const [args, what] of [
      [['get', ''], 'node id'],
      [['set-status', '', 'open'], 'node id'],
      [['priority', '', 'p1'], 'node id'],
      [['ready', ''], 'node id'],
      [['agent', 'use', ''], 'agent'],
      [['capabilities', 'check', ''], 'profile id'],
    ] as const) {
      const r = await runSpor([...args], {home, timeout: 10_000});
      expect({args, timedOut: r.timedOut, exitCode: r.exitCode, stderr: r.stderr}).toEqual({
        args,
        timedOut: false,
        exitCode: 2,
        stderr: `spor: ${what} is empty\n  hint: give the ${what}`,
      });
    }
    expect(readLog(home)).toHaveLength(before);
  });
});
