import {chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {RefusalError} from '../../core/index.js';

/** What `spor login` keeps: one server and its token, outside the event log. */
export interface Credentials {
  server: string;
  token: string;
  /** Who the token named when it was saved (`GET /v1/me`), for `spor login` with no arguments. */
  person?: string;
  saved_at: string;
}

/** `$SPOR_HOME/credentials.json` (0600): never an event, never in a snapshot. */
export const credentialsFile = (home: string): string => join(home, 'credentials.json');

/** The saved credentials, or undefined when there are none; an unreadable file is a refusal naming it. */
export const readCredentials = (home: string): Credentials | undefined => {
  const file = credentialsFile(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RefusalError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      code: 'E_CREDENTIALS',
      hint: 'fix its permissions, or remove it with `spor logout` and log in again',
    });
  }
  try {
    const c = JSON.parse(text) as Partial<Credentials>;
    if (typeof c.server === 'string' && typeof c.token === 'string') return c as Credentials;
  } catch {
    /* reported below */
  }
  throw new RefusalError(`${file} is not a credentials file spor wrote`, {
    code: 'E_CREDENTIALS',
    hint: 'remove it with `spor logout`, then `spor login <url> <token>`',
  });
};

/** Writes the credentials atomically (a 0600 temporary file renamed over the old one). */
export const writeCredentials = (home: string, c: Credentials): void => {
  mkdirSync(home, {recursive: true, mode: 0o700});
  const file = credentialsFile(home);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, {mode: 0o600, flag: 'wx'});
    // The mode given at creation is narrowed by the umask, never widened; make it exact.
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, {force: true});
    throw e;
  }
};

/** Removes the credentials; whether there were any. */
export const removeCredentials = (home: string): boolean => {
  const file = credentialsFile(home);
  try {
    rmSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
};
