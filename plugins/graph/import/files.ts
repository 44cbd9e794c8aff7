import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';

/** Markdown files under `dir`, sorted; hidden folders and node_modules are not entered. */
export const markdownFiles = (dir: string): Array<string> => {
  const found: Array<string> = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, {withFileTypes: true})) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        entry.name.endsWith('.md') &&
        (entry.isFile() || (entry.isSymbolicLink() && statSync(path, {throwIfNoEntry: false})?.isFile()))
      )
        found.push(path);
    }
  };
  walk(dir);
  return found.sort();
};
