import {appendFileSync} from 'node:fs';
import type {ToolResult} from './toolResult.js';

export type Api = 'anthropic' | 'openai' | 'other';

/** How the fake answered a request. */
export type Reply =
  'write' | 'shell' | 'patch' | 'text' | 'error' | 'hang' | 'side' | 'probe' | 'count_tokens' | 'not-found' | 'problem';

/** One request the fake received, as a test asserts on it. */
export interface LoggedRequest {
  seq: number;
  /** Milliseconds since the fake started. */
  atMs: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  body?: unknown;
  api: Api;
  /** For a scripted model request: the turn read from its history. */
  turn?: number;
  reply: Reply;
  /** codex's tool surface (`code-mode`, `classic`, `shell-only`). */
  surface?: string;
  /** Why the fake could not answer a step as scripted (also sent back as an API error). */
  problem?: string;
  /** The tool results in this request's history (what the harness told the model). */
  toolResults: Array<ToolResult>;
}

/** Every request, in memory and optionally appended to a JSONL file as it arrives. */
export class RequestLog {
  private readonly entries: Array<LoggedRequest> = [];

  constructor(private readonly file?: string) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  all(): Array<LoggedRequest> {
    return [...this.entries];
  }

  /** The scripted model requests (no probes, side requests or token counts). */
  model(): Array<LoggedRequest> {
    return this.entries.filter((e) => e.turn !== undefined);
  }

  /** The tool results of the longest history seen: everything the harness reported back. */
  toolResults(): Array<ToolResult> {
    return this.model().reduce<Array<ToolResult>>(
      (best, e) => (e.toolResults.length >= best.length ? e.toolResults : best),
      [],
    );
  }

  /** The problems the fake met (a step it could not lower); a test expects none. */
  problems(): Array<string> {
    return this.entries.flatMap((e) => (e.problem ? [e.problem] : []));
  }

  jsonl(): string {
    return this.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  }
}
