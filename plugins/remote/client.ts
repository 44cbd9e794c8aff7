import {SporError} from '../../core/index.js';

/** A request the team server refused or could not answer, as one line the CLI prints. */
export class RemoteError extends SporError {
  constructor(
    message: string,
    /** The HTTP status, or undefined when no answer came (network, timeout). */
    readonly status: number | undefined,
    /** The contract's error code (`conflict`, `not_found`, …), or `timeout` / `network` / `bad_response`. */
    readonly apiCode: string,
    readonly details: ReadonlyArray<unknown> = [],
    hint?: string,
    /** The server's own message (the envelope's), when it sent one. */
    readonly reason?: string,
  ) {
    super(message, {code: 'E_REMOTE', ...(hint ? {hint} : {})});
  }
}

export interface ClientOptions {
  /** The server's base URL (`http://127.0.0.1:7420`), without a trailing slash. */
  server: string;
  /** The bearer token; never written anywhere by the client. */
  token: string;
  /** How long one request may take (connect to last byte). */
  timeoutMs: number;
  /** The longest Retry-After a 429 may ask for and still be waited out once. */
  maxRetryAfterMs?: number;
  /** Waits (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Another bearer than the client's own (the per-run agent token binding its session). */
  token?: string;
}

/** A typed call to the team server. */
export interface RemoteClient {
  readonly server: string;
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, opts?: RequestOptions): Promise<T>;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `Retry-After` as milliseconds: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export const retryAfterMs = (header: string | null, now = Date.now()): number | undefined => {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

// What Node's fetch (undici) reports when the network failed, in words.
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was reset',
  UND_ERR_SOCKET: 'the server closed the connection',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name did not resolve',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

// The innermost message (fetch's own is only 'fetch failed').
const causeMessage = (e: unknown): string => {
  let m = e instanceof Error ? e.message : String(e);
  for (let c = (e as {cause?: unknown}).cause, i = 0; c && i < 4; c = (c as {cause?: unknown}).cause, i += 1)
    if (c instanceof Error && c.message) m = c.message;
  return m;
};

const causeCode = (e: unknown): string | undefined => {
  for (let c: unknown = e, i = 0; c && i < 4; c = (c as {cause?: unknown}).cause, i += 1) {
    const code = (c as {code?: unknown}).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
  }
  return undefined;
};

/**
 * The one place spor talks HTTP to a team server: base URL, bearer, a deadline per request, the
 * contract's error envelope turned into one line (RemoteError), and a 429's Retry-After honoured
 * once. Node's own fetch (undici): no dependency.
 */
export const createClient = (opts: ClientOptions): RemoteClient => {
  const server = opts.server.replace(/\/+$/, '');
  const sleep = opts.sleep ?? realSleep;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 30_000;
  const secs = (ms: number): string => `${Math.round(ms / 100) / 10}s`;

  const once = async (method: string, path: string, ro: RequestOptions): Promise<Response> => {
    const url = new URL(`${server}${path}`);
    for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      authorization: `Bearer ${ro.token ?? opts.token}`,
      accept: 'application/json',
    };
    let body: string | undefined;
    if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(ro.body ?? {});
    }
    try {
      return await fetch(url, {method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error'});
    } catch (e) {
      const name = (e as {name?: string}).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new RemoteError(
          `the team server at ${server} did not answer ${method} ${path} within ${secs(opts.timeoutMs)}`,
          undefined,
          'timeout',
          [],
          'is it up? a slow server: raise remote.timeout (SPOR_REMOTE_TIMEOUT=30s)',
        );
      const code = causeCode(e);
      throw new RemoteError(
        `cannot reach the team server at ${server} (${method} ${path}): ${(code && NETWORK[code]) ?? causeMessage(e)}${code ? ` (${code})` : ''}`,
        undefined,
        'network',
        [],
        'check that `spor serve` runs there and the URL is right (spor login <url> <token>, or SPOR_SERVER)',
      );
    }
  };

  const fail = async (res: Response, method: string, path: string): Promise<never> => {
    let text = '';
    try {
      text = await res.text();
    } catch {
      /* the body broke off: the status alone speaks */
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const env = (parsed as {error?: {code?: unknown; message?: unknown; details?: unknown}} | undefined)?.error;
    const code = typeof env?.code === 'string' ? env.code : res.status >= 500 ? 'internal' : 'bad_response';
    const message =
      typeof env?.message === 'string' ? env.message : `no error envelope (${res.statusText || 'no reason given'})`;
    const details = Array.isArray(env?.details) ? (env.details as Array<unknown>) : [];
    const hint =
      res.status === 401
        ? 'the token is missing, expired or revoked: log in again with `spor login <url> <token>`'
        : res.status === 429
          ? 'the server limits requests per token; wait and run it again'
          : res.status >= 500
            ? 'the server failed; look at its log, then run this again'
            : undefined;
    throw new RemoteError(
      `the team server answered ${method} ${path} with ${res.status} ${code}: ${message}`,
      res.status,
      code,
      details,
      hint,
      typeof env?.message === 'string' ? env.message : undefined,
    );
  };

  return {
    server,
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, ro: RequestOptions = {}): Promise<T> {
      let res = await once(method, path, ro);
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'));
        // Honoured once, when it asks for a bearable wait; otherwise (or a second 429) the user is told.
        if (wait !== undefined && wait <= maxRetryAfter) {
          await res.body?.cancel().catch(() => undefined);
          await sleep(wait);
          res = await once(method, path, ro);
        }
      }
      if (!res.ok) return fail(res, method, path);
      let text: string;
      try {
        text = await res.text();
      } catch (e) {
        const name = (e as {name?: string}).name;
        throw new RemoteError(
          name === 'TimeoutError' || name === 'AbortError'
            ? `the team server at ${server} did not finish answering ${method} ${path} within ${secs(opts.timeoutMs)}`
            : `the answer to ${method} ${path} from ${server} broke off: ${NETWORK[causeCode(e) ?? ''] ?? causeMessage(e)}`,
          res.status,
          'network',
        );
      }
      try {
        return (text === '' ? {} : JSON.parse(text)) as T;
      } catch {
        throw new RemoteError(
          `the team server answered ${method} ${path} with ${res.status} but a body that is not JSON`,
          res.status,
          'bad_response',
        );
      }
    },
  };
};
