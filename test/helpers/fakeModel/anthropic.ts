// The Anthropic Messages API as Claude Code uses it: POST /v1/messages (streaming SSE; a
// non-streaming answer too), POST /v1/messages/count_tokens.
import {isAbsolute, resolve} from 'node:path';
import type {Step} from './script.js';
import type {SseEvent} from './sse.js';
import {textOf, type ToolResult} from './toolResult.js';

interface Block {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface MessagesRequest {
  model?: string;
  stream?: boolean;
  system?: string | Array<Block>;
  messages?: Array<{role: string; content: string | Array<Block>}>;
  tools?: Array<{name: string}>;
}

/** Model turns already taken: the assistant messages in the history. */
export const claudeTurn = (body: MessagesRequest): number =>
  (body.messages ?? []).filter((m) => m.role === 'assistant').length;

/** A request with no tools (e.g. a session title) is a side request: answered, never scripted. */
export const isSideRequest = (body: MessagesRequest): boolean => (body.tools ?? []).length === 0;

/** The working directory Claude Code states in its system prompt. */
const cwdOf = (body: MessagesRequest): string | undefined => {
  const system =
    typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text ?? '').join('\n');
  return /Primary working directory: (.+)/.exec(system)?.[1]?.trim();
};

export type Lowered = {blocks: Array<Block>; stopReason: 'tool_use' | 'end_turn'} | {problem: string};

/** The content blocks Claude Code gets for a step; tool ids derive from the turn, so they are stable. */
export const lowerForClaude = (step: Step, body: MessagesRequest, turn: number): Lowered => {
  const id = `toolu_fake_${turn}`;
  if ('write' in step) {
    const cwd = cwdOf(body);
    const path = isAbsolute(step.write.path) || !cwd ? step.write.path : resolve(cwd, step.write.path);
    return {
      blocks: [{type: 'tool_use', id, name: 'Write', input: {file_path: path, content: step.write.content}}],
      stopReason: 'tool_use',
    };
  }
  if ('shell' in step) {
    return {
      blocks: [
        {type: 'tool_use', id, name: 'Bash', input: {command: step.shell, description: 'Run the scripted command'}},
      ],
      stopReason: 'tool_use',
    };
  }
  if ('patch' in step)
    return {problem: 'fake model: a codex patch has no Claude Code lowering (script a write or a shell step)'};
  if ('text' in step) return {blocks: [{type: 'text', text: step.text}], stopReason: 'end_turn'};
  return {problem: 'fake model: an error step is not lowered'};
};

const usage = {input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0};

const messageOf = (blocks: Array<Block>, stopReason: string | null, model: string, turn: number) => ({
  id: `msg_fake_${turn}`,
  type: 'message',
  role: 'assistant',
  model,
  content: blocks,
  stop_reason: stopReason,
  stop_sequence: null,
  usage,
});

/** The complete message, for a non-streaming request. */
export const claudeMessage = (
  l: {blocks: Array<Block>; stopReason: string},
  model: string,
  turn: number,
): Record<string, unknown> => messageOf(l.blocks, l.stopReason, model, turn);

/** The same message as the SSE stream Claude Code reads. */
export const claudeStream = (
  l: {blocks: Array<Block>; stopReason: string},
  model: string,
  turn: number,
): Array<SseEvent> => {
  const events: Array<SseEvent> = [
    {event: 'message_start', data: {type: 'message_start', message: messageOf([], null, model, turn)}},
  ];
  l.blocks.forEach((b, index) => {
    if (b.type === 'tool_use') {
      events.push(
        {
          event: 'content_block_start',
          data: {
            type: 'content_block_start',
            index,
            content_block: {type: 'tool_use', id: b.id, name: b.name, input: {}},
          },
        },
        {
          event: 'content_block_delta',
          data: {
            type: 'content_block_delta',
            index,
            delta: {type: 'input_json_delta', partial_json: JSON.stringify(b.input)},
          },
        },
      );
    } else {
      events.push(
        {
          event: 'content_block_start',
          data: {type: 'content_block_start', index, content_block: {type: 'text', text: ''}},
        },
        {
          event: 'content_block_delta',
          data: {type: 'content_block_delta', index, delta: {type: 'text_delta', text: b.text ?? ''}},
        },
      );
    }
    events.push({event: 'content_block_stop', data: {type: 'content_block_stop', index}});
  });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: {stop_reason: l.stopReason, stop_sequence: null},
        usage: {output_tokens: usage.output_tokens},
      },
    },
    {event: 'message_stop', data: {type: 'message_stop'}},
  );
  return events;
};

export const claudeError = (status: number, message: string): Record<string, unknown> => ({
  type: 'error',
  error: {
    type: status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'invalid_request_error',
    message,
  },
});

/** The tool results in the history, each tied to the tool the fake called. */
export const claudeToolResults = (body: MessagesRequest): Array<ToolResult> => {
  const tools = new Map<string, string>();
  const results: Array<ToolResult> = [];
  for (const m of body.messages ?? []) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_use' && b.id && b.name) tools.set(b.id, b.name);
      if (b.type === 'tool_result' && b.tool_use_id) {
        results.push({
          callId: b.tool_use_id,
          tool: tools.get(b.tool_use_id),
          text: textOf(b.content),
          isError: b.is_error === true,
        });
      }
    }
  }
  return results;
};
