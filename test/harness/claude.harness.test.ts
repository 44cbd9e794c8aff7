// The real Claude Code (pinned) against the scripted fake: proves the fake and the tier's helpers
// before spor is put between them.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {fakeModel, runClaude} from '../helpers/realHarness/direct.js';
import {available} from '../helpers/realHarness/install.js';
import {sandbox} from '../helpers/realHarness/sandbox.js';
import {claudePermissionMode, claudeResult} from '../helpers/realHarness/streams.js';

const gitStatus = (repo: string): string =>
  execFileSync('git', ['status', '--porcelain'], {cwd: repo, encoding: 'utf8'});

describe.skipIf(!available('claude'))('Claude Code 2.1.197, driven directly', () => {
  it('acceptEdits: the scripted Write lands in the repo, and the fake sees the success it reported', async () => {
    const sb = sandbox();
    const fake = await fakeModel({
      script: [{write: {path: 'HELLO.md', content: 'hello from the fake\n'}}, {text: 'done'}],
    });

    const run = await runClaude(sb, fake, ['--permission-mode', 'acceptEdits']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(sb.repo, 'HELLO.md'), 'utf8')).toBe('hello from the fake\n');
    expect(claudePermissionMode(run.events)).toBe('acceptEdits');
    expect(claudeResult(run.events)).toMatchObject({is_error: false, permission_denials: [], result: 'done'});
    expect(fake.log.model().map((r) => [r.turn, r.reply])).toEqual([
      [0, 'write'],
      [1, 'text'],
    ]);
    expect(fake.log.toolResults()).toEqual([
      expect.objectContaining({
        tool: 'Write',
        isError: false,
        text: expect.stringContaining('File created successfully'),
      }),
    ]);
    expect(fake.log.problems()).toEqual([]);
    expect(run.leftovers).toBe(false);
  });

  it('default permission mode: the Write is refused, yet Claude exits 0; only permission_denials tells', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{write: {path: 'HELLO.md', content: 'hi\n'}}, {text: 'done'}]});

    const run = await runClaude(sb, fake, []);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
    expect(claudePermissionMode(run.events)).toBe('default');
    const result = claudeResult(run.events);
    expect(result).toMatchObject({is_error: false, subtype: 'success'});
    expect(result?.permission_denials).toEqual([
      expect.objectContaining({
        tool_name: 'Write',
        tool_input: expect.objectContaining({file_path: join(sb.repo, 'HELLO.md')}),
      }),
    ]);
    expect(fake.log.toolResults()).toEqual([
      expect.objectContaining({tool: 'Write', isError: true, text: expect.stringContaining("haven't granted it yet")}),
    ]);
  });

  it('a shell step runs through Bash when allowed, and its output comes back to the model', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{shell: 'echo shell-ran > SHELL.md && git add SHELL.md'}, {text: 'done'}]});

    const run = await runClaude(sb, fake, ['--permission-mode', 'acceptEdits', '--allowedTools', 'Bash']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(sb.repo, 'SHELL.md'), 'utf8')).toBe('shell-ran\n');
    expect(gitStatus(sb.repo)).toBe('A  SHELL.md\n');
    expect(claudeResult(run.events)).toMatchObject({is_error: false, permission_denials: []});
    expect(fake.log.toolResults()).toEqual([expect.objectContaining({tool: 'Bash', isError: false})]);
  });

  it('model server down, no retries: the run ends is_error within seconds', async () => {
    const sb = sandbox();
    const fake = await fakeModel({down: true});

    const run = await runClaude(sb, fake, ['--permission-mode', 'acceptEdits'], {timeoutMs: 20_000});

    expect(run.killed).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(claudeResult(run.events)).toMatchObject({
      is_error: true,
      result: expect.stringContaining('Unable to connect'),
    });
  });
});
