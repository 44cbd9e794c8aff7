import {token} from '../../core/index.js';

/**
 * Rewrites `$SPOR_HOME/spor.plugins.json` (core's `UserPluginsFile`) from the `plugins` slice,
 * atomically (temporary file + rename). The file is a projection start-up reads instead of
 * replaying the log; hand edits to it last until the next rewrite.
 */
export interface UserPluginsFileService {
  /**
   * Takes the log lock, reads the slice under it and replaces the file. Pass `{locked: true}`
   * when the caller already holds the log lock (the lock is not re-entrant).
   */
  rewrite(opts?: {locked?: boolean}): Promise<void>;
}

/** Provided by the `plugins` plugin; `spor doctor --repair` calls it, and so does its reaction. */
export const USER_PLUGINS_FILE = token<UserPluginsFileService>('spor.plugins.UserPluginsFile');
