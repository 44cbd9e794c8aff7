import {accessSync, constants, statSync} from 'node:fs';
import {delimiter, isAbsolute, join, resolve} from 'node:path';
import {UsageError} from '../../core/index.js';

const isExecutableFile = (path: string): 'ok' | 'missing' | 'not-a-file' | 'not-executable' => {
  let file: boolean;
  try {
    file = statSync(path).isFile();
  } catch {
    return 'missing';
  }
  if (!file) return 'not-a-file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'not-executable';
  }
  return 'ok';
};

/**
 * The absolute path a hook executable is stored under. A name with a slash is a path, resolved
 * against `cwd`; a bare name is looked up on PATH as a shell would (never in `cwd`). Resolving
 * once, here, means the hook runs the same file whatever PATH a later spor process has.
 */
export const resolveExecutable = (given: string, cwd: string, pathVar: string | undefined): string => {
  if (given.includes('/')) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    switch (isExecutableFile(path)) {
      case 'ok':
        return path;
      case 'missing':
        throw new UsageError(`hook executable not found: ${path}`, {
          code: 'E_HOOK_PATH',
          hint: 'give the path of an existing executable file',
        });
      case 'not-a-file':
        throw new UsageError(`not a file: ${path}`, {
          code: 'E_HOOK_PATH',
          hint: 'give the path of an executable file, not a directory',
        });
      case 'not-executable':
        throw new UsageError(`not executable: ${path}`, {
          code: 'E_HOOK_PATH',
          hint: `make it executable: chmod +x ${path}`,
        });
    }
  }
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, given);
    if (isExecutableFile(candidate) === 'ok') return candidate;
  }
  const local = isExecutableFile(resolve(cwd, given)) !== 'missing';
  throw new UsageError(`no executable '${given}' on PATH`, {
    code: 'E_HOOK_PATH',
    hint: local
      ? `to use the file in this directory, write ./${given}`
      : 'give a path to the executable (e.g. ./notify.sh) or install it on PATH',
  });
};
