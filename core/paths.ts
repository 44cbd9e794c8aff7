import {closeSync, constants, fsyncSync, mkdirSync, openSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join, resolve} from 'node:path';

/** Every file spor keeps for this machine, all under SPOR_HOME (default ~/.spor). */
export interface SporPaths {
  home: string;
  /** The append-only event log: the only truth. */
  log: string;
  /** Size, mtime and last seq of the log as its last writer left it (a fast integrity check). */
  seal: string;
  /** One lowdb snapshot file per projected slice. */
  snapshots: string;
  /** User plugins to load, rewritten from the `plugins` slice (a projection, rebuildable). */
  userPlugins: string;
  /** Where npm-installed user plugins live. */
  pluginPackages: string;
}

export const sporPaths = (env: NodeJS.ProcessEnv = process.env): SporPaths => {
  const home = resolve(env.SPOR_HOME && env.SPOR_HOME !== '' ? env.SPOR_HOME : join(env.HOME ?? homedir(), '.spor'));
  return {
    home,
    log: join(home, 'events.jsonl'),
    seal: join(home, 'events.seal'),
    snapshots: join(home, 'snapshots'),
    userPlugins: join(home, 'spor.plugins.json'),
    pluginPackages: join(home, 'plugins'),
  };
};

/**
 * Creates SPOR_HOME (private to this user) on first write; reads never create it. A directory it
 * made is made durable (its parent's entry synced), so a crash cannot forget a log acknowledged in
 * it. Returns the mode bits an existing SPOR_HOME gives others (0 when private or just made).
 */
export const ensureHome = (paths: SporPaths): number => {
  const made = mkdirSync(paths.home, {recursive: true, mode: 0o700});
  if (made !== undefined) {
    // Every directory it made, from the top one's parent down.
    for (let dir = paths.home; ; dir = dirname(dir)) {
      syncDirectory(dirname(dir));
      if (dir === made || dirname(dir) === dir) break;
    }
    return 0;
  }
  return statSync(paths.home).mode & 0o077;
};

/** Makes a directory's new entries (a created or renamed file) durable. */
export const syncDirectory = (dir: string): void => {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
