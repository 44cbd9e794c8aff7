import {cpSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {claudeConfigDir} from '../../../../plugins/harness-claude/configDir.js';
import {claudeConfigProber} from '../../../../plugins/harness-claude/configProber.js';
import {frontmatterName} from '../../../../plugins/harness-claude/skills.js';
import {tempDir} from '../../../helpers/tempHome.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/claude-config', import.meta.url));
const probe = (env: NodeJS.ProcessEnv) =>
  claudeConfigProber.probe({env, setting: async () => '', signal: new AbortController().signal});

describe('the claude-config prober', () => {
  it('reports personal skills, enabled installed plugins and their skills from CLAUDE_CONFIG_DIR', async () => {
    const finding = await probe({CLAUDE_CONFIG_DIR: FIXTURE, HOME: '/nonexistent'});
    expect(finding.skills).toEqual(['brainstorming', 'tdd', 'superpowers:systematic-debugging']);
    expect(finding.plugins).toEqual(['superpowers', 'linear-tools']);
    expect(finding.facts).toEqual({
      brainstorming: {path: join(FIXTURE, 'skills/brainstorm-ideas/SKILL.md')},
      tdd: {path: join(FIXTURE, 'skills/tdd/SKILL.md')},
      superpowers: {version: '5.0.7', marketplace: 'obra', path: join(FIXTURE, 'plugins/cache/obra/superpowers/5.0.7')},
      'superpowers:systematic-debugging': {
        path: join(FIXTURE, 'plugins/cache/obra/superpowers/5.0.7/skills/systematic-debugging/SKILL.md'),
      },
      'linear-tools': {
        version: '1.2.0',
        marketplace: 'acme',
        path: join(FIXTURE, 'plugins/cache/acme/linear-tools/1.2.0'),
      },
    });
  });

  it('reads ~/.claude when CLAUDE_CONFIG_DIR is unset (or not absolute)', async () => {
    const home = tempDir();
    cpSync(FIXTURE, join(home, '.claude'), {recursive: true});
    expect(claudeConfigDir({HOME: home})).toBe(join(home, '.claude'));
    expect(claudeConfigDir({HOME: home, CLAUDE_CONFIG_DIR: 'relative/dir'})).toBe(join(home, '.claude'));
    expect((await probe({HOME: home})).plugins).toEqual(['superpowers', 'linear-tools']);
  });

  it('prefers an installPath that exists, and reads version 1 registries (one install object per key)', async () => {
    const dir = tempDir();
    const install = join(dir, 'elsewhere', 'reviewer');
    mkdirSync(join(install, 'skills', 'review'), {recursive: true});
    writeFileSync(join(install, 'skills', 'review', 'SKILL.md'), '---\nname: review\n---\n');
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(
      join(dir, 'plugins', 'installed_plugins.json'),
      JSON.stringify({
        version: 1,
        plugins: {'reviewer@team': {version: '0.3.0', installedAt: '2025-01-01T00:00:00Z', installPath: install}},
      }),
    );
    const finding = await probe({CLAUDE_CONFIG_DIR: dir});
    expect(finding).toEqual({
      skills: ['reviewer:review'],
      plugins: ['reviewer'],
      facts: {
        reviewer: {version: '0.3.0', marketplace: 'team', path: install},
        'reviewer:review': {path: join(install, 'skills', 'review', 'SKILL.md')},
      },
    });
  });

  it('finds nothing in a missing directory', async () => {
    expect(await probe({CLAUDE_CONFIG_DIR: join(tempDir(), 'absent')})).toEqual({skills: [], plugins: [], facts: {}});
  });

  it('fails, naming the file, when the plugin registry is not JSON', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(join(dir, 'plugins', 'installed_plugins.json'), '{"version": 2, "plugins": {');
    await expect(probe({CLAUDE_CONFIG_DIR: dir})).rejects.toThrow(
      `${join(dir, 'plugins', 'installed_plugins.json')} is not valid JSON`,
    );
  });
});

describe('SKILL.md frontmatter', () => {
  it.each([
    ['---\nname: tdd\n---\n', 'tdd'],
    ["---\ndescription: x\nname: 'quoted-name'\n---", 'quoted-name'],
    ['---\r\nname: crlf\r\n---\r\n', 'crlf'],
    ['---\nname: Not Valid\n---\n', undefined],
    ['# no frontmatter\nname: body-text\n', undefined],
  ])('reads the name of %j as %j', (text, name) => {
    expect(frontmatterName(text)).toBe(name);
  });
});
