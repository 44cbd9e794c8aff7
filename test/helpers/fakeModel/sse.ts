import type {ServerResponse} from 'node:http';

/** One server-sent event (`event:` + `data:`), as both APIs stream them. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Sends `events` as one complete SSE response. */
export const sendSse = (res: ServerResponse, events: ReadonlyArray<SseEvent>): void => {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'});
  for (const e of events) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  res.end();
};

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, {'content-type': 'application/json'});
  res.end(JSON.stringify(body));
};
