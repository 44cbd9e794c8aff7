// The real codex (pinned) against the scripted fake: proves the fake on each of codex's tool
// surfaces, its sandbox, and the tier's hard kill, before spor is put between them.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {addFilePatch} from '../helpers/fakeModel/index.js';
import {fakeModel, runCodex} from '../helpers/realHarness/direct.js';
import {available} from '../helpers/realHarness/install.js';
import {sandbox} from '../helpers/realHarness/sandbox.js';
import {codexItems, lastType} from '../helpers/realHarness/streams.js';

const gitStatus = (repo: string): string =>
  execFileSync('git', ['status', '--porcelain'], {cwd: repo, encoding: 'utf8'});

describe.skipIf(!available('codex'))('codex 0.171.0, driven directly', () => {
  // The tool surface follows the model: code mode's JavaScript `exec` (default model), classic
  // apply_patch (gpt-5.5), or only exec_command, through which a patch goes as a heredoc.
  it.each([
    {surface: 'code-mode', model: []},
    {surface: 'classic', model: ['-m', 'gpt-5.5']},
    {surface: 'shell-only', model: ['-m', 'gpt-5.1-codex']},
  ])('workspace-write, $surface: the scripted write lands in the repo', async ({surface, model}) => {
    const sb = sandbox();
    const fake = await fakeModel({
      script: [{write: {path: 'HELLO.md', content: 'hello from the fake\n'}}, {text: 'done'}],
    });

    const run = await runCodex(sb, fake, [...model, '--sandbox', 'workspace-write']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(sb.repo, 'HELLO.md'), 'utf8')).toBe('hello from the fake\n');
    expect(lastType(run.events)).toBe('turn.completed');
    expect(fake.log.model().map((r) => [r.turn, r.reply, r.surface])).toEqual([
      [0, 'write', surface],
      [1, 'text', surface],
    ]);
    expect(fake.log.toolResults()).toHaveLength(1);
    expect(fake.log.problems()).toEqual([]);
    expect(run.leftovers).toBe(false);
  });

  it('workspace-write keeps .git read-only: a shell step writes its file but cannot stage it; a patch step follows', async () => {
    const sb = sandbox();
    const patch = addFilePatch('PATCHED.md', 'patched\n');
    const fake = await fakeModel({
      script: [{shell: 'echo shell-ran > SHELL.md && git add SHELL.md'}, {patch}, {text: 'done'}],
    });

    const run = await runCodex(sb, fake, ['--sandbox', 'workspace-write']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(sb.repo, 'SHELL.md'), 'utf8')).toBe('shell-ran\n');
    expect(readFileSync(join(sb.repo, 'PATCHED.md'), 'utf8')).toBe('patched\n');
    expect(gitStatus(sb.repo)).toBe('?? PATCHED.md\n?? SHELL.md\n');
    expect(codexItems(run.events, 'file_change')).toEqual([expect.objectContaining({status: 'completed'})]);
    // codex 0.171 reports a command in `--json` only sometimes: no command_execution item on an
    // idle machine, one (failed, 128) under load. Only what the model gets back is reliable.
    for (const item of codexItems(run.events, 'command_execution'))
      expect(item).toMatchObject({status: 'failed', exit_code: 128});
    expect(fake.log.toolResults()).toEqual([
      expect.objectContaining({tool: 'exec', text: expect.stringMatching(/"exit_code":128.*index\.lock/)}),
      expect.objectContaining({tool: 'exec'}),
    ]);
  });

  it('read-only (the default sandbox): the patch is rejected, only on stderr and to the model; exit 0', async () => {
    const sb = sandbox();
    const fake = await fakeModel({script: [{write: {path: 'HELLO.md', content: 'hi\n'}}, {text: 'done'}]});

    const run = await runCodex(sb, fake, []);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(existsSync(join(sb.repo, 'HELLO.md'))).toBe(false);
    expect(run.stderr).toContain('patch rejected');
    expect(codexItems(run.events, 'file_change')).toEqual([]);
    expect(fake.log.toolResults()).toEqual([
      expect.objectContaining({tool: 'exec', text: expect.stringContaining('read-only')}),
    ]);
  });

  it('model server down: codex does not end its turn on its own; the hard timeout kills its process group', async () => {
    const sb = sandbox();
    const fake = await fakeModel({down: true});

    const run = await runCodex(sb, fake, ['--sandbox', 'workspace-write'], {timeoutMs: 4_000});

    expect(run.killed).toBe(true);
    expect(run.signal).toBe('SIGKILL');
    expect(run.leftovers).toBe(false);
    // it emits `{type: "error", message: "Reconnecting..."}` events meanwhile, once it is up
    expect(run.events.map((e) => e.type)).not.toContain('turn.completed');
    expect(run.events.map((e) => e.type)).not.toContain('turn.failed');
  });
});
