// Issue 12: what a user switching from the reference Spor CLI meets at `spor dispatch`. Each test
// names the scenario of the reference's Dispatch page (or the item) it comes from.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, stubPath} from '../helpers/dispatch.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempDir, tempHome} from '../helpers/tempHome.js';

const setup = () => {
  const {home, sporHome} = tempHome();
  const rec = join(tempDir('spor-rec-'), 'rec');
  const env = {PATH: stubPath(), STUB_RECORD: rec};
  const spor = (args: Array<string>, extra: Record<string, string> = {}, cwd?: string) =>
    runSpor(args, {home, env: {...env, ...extra}, ...(cwd ? {cwd} : {})});
  return {home, sporHome, rec, env, spor};
};

const today = (): string => new Date().toISOString().slice(0, 10);

describe('templates (issue 12 item 3)', () => {
  it('reference page, --template: {{id}} {{date}} and the aliases {{briefing}} {{instruction}} {{node_id}} {{project}} {{repo}} fill; --print names the template file', async () => {
    const {spor} = setup();
    const repo = gitRepo();
    await spor(['repos', 'add', 'web', repo]);
    await spor(['add', 'Retry failed e-mails', '--type', 'task', '--repo', 'web', '--id', 'task-retry']);
    const tpl = join(tempDir(), 'reference-prompt.md');
    writeFileSync(
      tpl,
      'id={{id}} node_id={{node_id}} date={{date}} project={{project}} repo={{repo}}\n{{instruction}}\n---\n{{briefing}}',
    );
    const before = today();
    const r = await spor(['dispatch', 'task-retry', '--template', tpl, '--print', '--json']);
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout);
    expect(plan.warnings).toEqual([]);
    expect(plan.template).toBe(tpl);
    const [head, instruction] = plan.prompt.split('\n');
    expect(
      [`${before}`, today()].map((d) => `id=task-retry node_id=task-retry date=${d} project=web repo=web`),
    ).toContain(head);
    expect(instruction).toBe('Work on task-retry — Retry failed e-mails.');
    expect(plan.prompt).toContain('# task-retry: Retry failed e-mails');
    const text = await spor(['dispatch', 'task-retry', '--template', tpl, '--print']);
    expect(text.stdout).toContain(`template    ${tpl}`);
    const plain = await spor(['dispatch', 'task-retry', '--print']);
    expect(plain.stdout).toContain('template    (none: the default prompt)');
  });
});
