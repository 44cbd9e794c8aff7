import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

// Claude Code names a skill by its SKILL.md frontmatter `name` (lower-case, digits, hyphens),
// falling back to the directory name.
const SKILL_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The `name:` of a SKILL.md's YAML frontmatter, when it has a usable one. */
export const frontmatterName = (text: string): string | undefined => {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const line = m?.[1]?.split(/\r?\n/).find((l) => /^name\s*:/.test(l));
  const name = line
    ?.replace(/^name\s*:\s*/, '')
    .trim()
    .replace(/^(['"])(.*)\1$/, '$2');
  return name !== undefined && SKILL_NAME.test(name) ? name : undefined;
};

/**
 * The skills in a `skills/` directory: each `<dir>/SKILL.md`, named by its frontmatter or its
 * directory. A missing directory has none; a subdirectory without SKILL.md is not a skill.
 */
export const skillsIn = (skillsDir: string): Array<{name: string; path: string}> => {
  let entries;
  try {
    entries = readdirSync(skillsDir, {withFileTypes: true});
  } catch {
    return [];
  }
  const found: Array<{name: string; path: string}> = [];
  // Sorted, so the finding does not depend on the file system's directory order.
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const path = join(skillsDir, entry.name, 'SKILL.md');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const name = frontmatterName(text) ?? (SKILL_NAME.test(entry.name) ? entry.name : undefined);
    if (name !== undefined) found.push({name, path});
  }
  return found;
};
