import {readFileSync} from 'node:fs';
import {delimiter, isAbsolute, join, resolve} from 'node:path';
import {nodeCrypto, RefusalError} from '../../core/index.js';
import {isExecutableFile} from '../capabilities/api.js';

const runnable = isExecutableFile;

/**
 * The file `argv0` runs when the checkout at `dir` is the working directory: a name with a slash
 * is a path (relative ones against `dir`), a bare name is looked up on PATH, never in `dir`.
 * Resolved once and run by its absolute path, so the file that was hashed is the file that runs.
 */
export const resolveSetupExecutable = (
  argv0: string,
  dir: string,
  pathVar: string | undefined,
  origin: string,
): string => {
  if (argv0.includes('/')) {
    const path = isAbsolute(argv0) ? argv0 : resolve(dir, argv0);
    if (runnable(path)) return path;
    throw new RefusalError(`the worktree setup command (${origin}) names ${path}, which is not an executable file`, {
      code: 'E_SETUP_EXECUTABLE',
      hint: `commit it executable (chmod +x) in the repository, or change worktree.setup`,
    });
  }
  for (const entry of (pathVar ?? '').split(delimiter)) {
    if (entry === '' || !isAbsolute(entry)) continue;
    if (runnable(join(entry, argv0))) return join(entry, argv0);
  }
  throw new RefusalError(
    `the worktree setup command (${origin}) names '${argv0}', which is not an executable on PATH`,
    {
      code: 'E_SETUP_EXECUTABLE',
      hint: 'give its path (./scripts/setup, relative to the repository root) or install it on PATH',
    },
  );
};

/**
 * What an approval covers: SHA-256 over the argv (as JSON) and the bytes of the executable it
 * runs. A different argument, or one changed byte of the script, is a different fingerprint and
 * needs approving again. What the script itself goes on to read or run is not covered.
 */
export const fingerprint = (argv: ReadonlyArray<string>, executable: string): string =>
  nodeCrypto()
    .createHash('sha256')
    .update(JSON.stringify(argv))
    .update('\0')
    .update(readFileSync(executable))
    .digest('hex');
