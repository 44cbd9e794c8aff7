import {mkdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {join, resolve} from 'node:path';

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

/** Creates SPOR_HOME (private to this user) on first write. Reads never create it. */
export const ensureHome = (paths: SporPaths): void => {
  mkdirSync(paths.home, {recursive: true, mode: 0o700});
};
