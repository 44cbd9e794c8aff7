import {RefusalError, UsageError} from '../../core/index.js';
import {readCredentials} from './credentials.js';

/** Where remote mode points, and with which token: the environment first, then `spor login`'s file. */
export interface Connection {
  server: string;
  token: string;
  /** `env` (SPOR_SERVER/SPOR_TOKEN) or `credentials` ($SPOR_HOME/credentials.json). */
  source: 'env' | 'credentials';
}

/** A server URL as spor accepts it: http(s), no credentials, no query; returned without a trailing slash. */
export const serverUrl = (text: string, origin: string): string => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${origin} '${text}' is not a URL`, {
      code: 'E_SERVER_URL',
      hint: 'give the team server as http(s)://host:port, e.g. http://127.0.0.1:7420',
    });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search)
    throw new UsageError(`${origin} '${text}' is not an http(s) server address`, {
      code: 'E_SERVER_URL',
      hint: 'give the team server as http(s)://host:port, without credentials or a query',
    });
  return url.toString().replace(/\/+$/, '');
};

/**
 * Remote mode or not: `SPOR_SERVER` (legacy `SUBSTRATE_SERVER`) with `SPOR_TOKEN`, else what
 * `spor login` saved. Undefined is local mode. A server without a token is a refusal: a
 * half-configured remote mode must not quietly fall back to local.
 */
export const connectionOf = (env: NodeJS.ProcessEnv, home: string): Connection | undefined => {
  const envServer = env.SPOR_SERVER || env.SUBSTRATE_SERVER || undefined;
  const envToken = env.SPOR_TOKEN || env.SUBSTRATE_TOKEN || undefined;
  const saved = readCredentials(home);
  if (envServer === undefined) {
    // SPOR_SERVER is the switch: a token alone (no server, nothing saved) leaves this machine local.
    if (saved === undefined) return undefined;
    return {
      server: serverUrl(saved.server, 'the saved server'),
      token: envToken ?? saved.token,
      source: envToken ? 'env' : 'credentials',
    };
  }
  const server = serverUrl(envServer, 'SPOR_SERVER');
  const token = envToken ?? (saved && serverUrl(saved.server, 'the saved server') === server ? saved.token : undefined);
  if (token === undefined)
    throw new RefusalError(`SPOR_SERVER is set (${server}) but there is no token for it`, {
      code: 'E_REMOTE_CONFIG',
      hint: `set SPOR_TOKEN, or save one with \`spor login ${server} <token>\``,
    });
  return {server, token, source: envToken ? 'env' : 'credentials'};
};
