import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {decide, type Decision} from './answer.js';
import {RequestLog} from './requestLog.js';
import type {Script} from './script.js';
import {sendJson, sendSse} from './sse.js';

export interface FakeModelOptions {
  /** The conversation each harness gets (the same script serves both APIs). */
  script?: Script;
  /** Also append every request to this JSONL file. */
  logFile?: string;
  /** Start "down": the URL names a port nothing listens on (connection refused). */
  down?: boolean;
  /** Answer every scripted model request this late (a step's own `delayMs` wins). */
  delayMs?: number;
}

export interface FakeModel {
  /** `http://127.0.0.1:<port>`: Claude Code's ANTHROPIC_BASE_URL; codex's base_url is `${url}/v1`. */
  url: string;
  port: number;
  /** When it started (epoch ms): each logged request's `atMs` counts from here. */
  startedAt: number;
  log: RequestLog;
  /** Stop listening and drop every connection (held ones too); the URL then refuses connections. */
  down(): Promise<void>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parse = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const headersOf = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));

const send = (res: ServerResponse, d: Decision): void => {
  if (d.sse) sendSse(res, d.sse);
  else if (d.json === undefined) {
    res.writeHead(d.status);
    res.end();
  } else sendJson(res, d.status, d.json);
};

/** A scripted Anthropic Messages + OpenAI Responses server on 127.0.0.1, on a free port. */
export const startFakeModel = async (opts: FakeModelOptions = {}): Promise<FakeModel> => {
  const script = opts.script ?? [];
  const log = new RequestLog(opts.logFile);
  const started = Date.now();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? '';
    const body = parse(await readBody(req));
    const d = decide(method, url.pathname, body, script);
    const {step} = d;
    // logged on arrival, before any delay: a test can see a request the harness is still waiting on
    log.add({
      seq: seq++,
      atMs: Date.now() - started,
      method,
      path: url.pathname,
      query: url.search,
      headers: headersOf(req),
      body,
      api: d.api,
      reply: step?.hang ? 'hang' : d.reply,
      turn: d.turn,
      surface: d.surface,
      problem: d.problem,
      toolResults: d.toolResults,
    });
    if (step?.hang) return; // held open without a byte until the fake goes down
    const delay = step?.delayMs ?? (d.turn !== undefined ? opts.delayMs : undefined) ?? 0;
    if (delay <= 0) return send(res, d);
    const t = setTimeout(() => {
      timers.delete(t);
      send(res, d);
    }, delay);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, {error: {message: `fake model: ${String(e)}`}});
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const {port} = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return stopped;
  };
  if (opts.down) await stop();

  return {url: `http://127.0.0.1:${port}`, port, startedAt: started, log, down: stop, close: stop};
};
