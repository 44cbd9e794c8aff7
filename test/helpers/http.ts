// Plain JSON calls to a team server (no nock: CLI tests use these against child processes too).

export interface Member {
  id: string;
  token: string;
}

/** A JSON request to the server; returns the status, headers and parsed body. */
export const call = async (
  server: {url: string},
  method: string,
  path: string,
  opts: {token?: string; body?: unknown; headers?: Record<string, string>} = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies by path
): Promise<{status: number; body: any; headers: Headers}> => {
  const headers: Record<string, string> = {...opts.headers};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : {body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return {status: res.status, body, headers: res.headers};
};
