import {UsageError} from './errors.js';

// C0 controls and DEL: never part of an id, a slug, a key or a path someone means to type.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Refuses, at a command's boundary, a reference to something by id or name that cannot name
 * anything: empty or blank, or holding control characters (exit 2, nothing read or written).
 * `what` names the argument (`node id`, `run id`); returns the value for chaining.
 */
export const checkRef = (value: string, what: string, hint?: string): string => {
  if (value.trim() === '')
    throw new UsageError(`${what} is empty`, {code: 'E_EMPTY_ARG', hint: hint ?? `give the ${what}`});
  if (CONTROL.test(value))
    throw new UsageError(`${what} '${JSON.stringify(value).slice(1, -1)}' contains control characters`, {
      code: 'E_CONTROL_CHARS',
      hint: hint ?? `give the ${what} as printed by spor`,
    });
  return value;
};

/** Refuses an empty path (which would quietly mean the current directory) or one with a NUL byte. */
export const checkPath = (value: string, what: string): string => {
  if (value === '')
    throw new UsageError(`${what} is empty`, {
      code: 'E_EMPTY_PATH',
      hint: `give a directory; for the current one, say \`.\``,
    });
  // Longer than any path the kernel accepts (PATH_MAX): refused here rather than as ENAMETOOLONG.
  if (Buffer.byteLength(value) >= 4096)
    throw new UsageError(`${what} is too long (${Buffer.byteLength(value)} bytes)`, {
      code: 'E_PATH_TOO_LONG',
      hint: 'give a real path',
    });
  if (value.includes('\0'))
    throw new UsageError(`${what} contains a NUL byte`, {code: 'E_CONTROL_CHARS', hint: 'give a real path'});
  return value;
};
