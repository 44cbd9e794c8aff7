import {describe, expect, it} from 'vitest';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const TITLE = 'Task \u001b]0;pwned\u0007 then \u001b[2J cleared';
const SHOWN = 'Task \\u001b]0;pwned\\u0007 then \\u001b[2J cleared';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe('control characters are shown escaped to a person, and kept exact in --json', () => {
  it('a title carrying terminal escape sequences: next, log and get print it escaped', async () => {
    const {home} = tempHome();
    const add = await runSpor(['add', TITLE, '--type', 'task'], {home});
    expect(add.exitCode).toBe(0);
    const id = JSON.parse((await runSpor(['next', '--json'], {home})).stdout).items[0].id as string;
    for (const args of [['next'], ['log'], ['get', id]]) {
      const r = await runSpor(args, {home});
      expect({args, exitCode: r.exitCode, raw: RAW_CONTROL.test(r.stdout)}).toEqual({args, exitCode: 0, raw: false});
      expect(r.stdout).toContain(SHOWN);
    }
    const json = JSON.parse((await runSpor(['get', id, '--json'], {home})).stdout) as {node: {title: string}};
    expect(json.node.title).toBe(TITLE);
  });

  it('an error quoting a value with a newline stays one line (plus its hint)', async () => {
    const {home} = tempHome();
    const r = await runSpor(['repos', 'rm', 'a\nb\u001b[2J'], {home});
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("spor: invalid repo slug 'a\\nb\\u001b[2J'");
    expect(lines[1]).toMatch(/^ {2}hint: /);
  });
});
