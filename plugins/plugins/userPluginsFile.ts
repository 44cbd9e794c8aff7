import {closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {
  inject,
  injectable,
  type EventStore,
  type SporPaths,
  type UserPluginsFile,
  type Projector,
  EVENT_STORE,
  PATHS,
  PROJECTOR,
} from '../../core/index.js';
import type {PluginsState} from './projection.js';
import type {UserPluginsFileService} from './api.js';

/** The file's text for a slice: entries in the order added, stable key order. */
export const renderUserPlugins = (state: PluginsState): string => {
  const file: UserPluginsFile = {
    apiVersion: 1,
    plugins: state.added.map((p) => ({
      name: p.name,
      spec: p.spec,
      path: p.path,
      version: p.version,
      ...(p.checksum ? {checksum: p.checksum} : {}),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
};

// Readers (every spor start-up) see the old file or the new one, never half of one.
const writeAtomically = (file: string, text: string): void => {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, {force: true});
    throw e;
  }
};

const current = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Keeps `$SPOR_HOME/spor.plugins.json` equal to the `plugins` slice; one writer at a time. */
@injectable()
export class UserPluginsFileWriter implements UserPluginsFileService {
  constructor(
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  async rewrite(opts: {locked?: boolean} = {}): Promise<void> {
    const write = async (): Promise<void> => {
      const {state} = await this.projector.project(['plugins'], {locked: true});
      const text = renderUserPlugins(state.plugins);
      if (current(this.paths.userPlugins) !== text) writeAtomically(this.paths.userPlugins, text);
    };
    if (opts.locked) await write();
    else await this.store.withLock(write);
  }
}
