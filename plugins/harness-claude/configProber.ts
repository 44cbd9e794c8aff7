import {join} from 'node:path';
import type {Prober, ProbeFinding} from '../capabilities/api.js';
import {claudeConfigDir} from './configDir.js';
import {installedPlugins} from './installedPlugins.js';
import {skillsIn} from './skills.js';

/**
 * Reads Claude Code's configuration directory for what a run there can use: personal skills
 * (`skills/<name>/SKILL.md`, reported by name), installed plugins (`plugins/installed_plugins.json`,
 * reported by plugin name) and the skills those plugins ship (`<plugin>:<skill>`, the name Claude
 * Code gives them). A missing directory finds nothing; an unreadable plugin registry fails the probe.
 */
export const claudeConfigProber: Prober = {
  name: 'claude-config',
  probe: async (ctx): Promise<ProbeFinding> => {
    const dir = claudeConfigDir(ctx.env);
    const facts: Record<string, Record<string, string>> = {};
    const skills: Array<string> = [];
    for (const s of skillsIn(join(dir, 'skills'))) {
      skills.push(s.name);
      facts[s.name] = {path: s.path};
    }
    const plugins: Array<string> = [];
    for (const p of installedPlugins(dir)) {
      plugins.push(p.name);
      facts[p.name] = {
        ...(p.version ? {version: p.version} : {}),
        ...(p.marketplace ? {marketplace: p.marketplace} : {}),
        ...(p.dir ? {path: p.dir} : {}),
      };
      if (!p.dir) continue;
      for (const s of skillsIn(join(p.dir, 'skills'))) {
        const name = `${p.name}:${s.name}`;
        skills.push(name);
        facts[name] = {path: s.path};
      }
    }
    return {skills, plugins, facts};
  },
};
