// The OpenAI Responses API as codex uses it: POST /v1/responses, streaming SSE.
import {addFilePatch} from './patch.js';
import type {Step} from './script.js';
import type {SseEvent} from './sse.js';
import {textOf, type ToolResult} from './toolResult.js';

interface Tool {
  type: string;
  name?: string;
  tools?: Array<Tool>;
}

interface Item {
  type: string;
  name?: string;
  call_id?: string;
  output?: unknown;
  tools?: Array<Tool>;
}

export interface ResponsesRequest {
  model?: string;
  stream?: boolean;
  input?: Array<Item>;
  tools?: Array<Tool>;
}

/**
 * The tool surface codex offers, which depends on the model (`-m`): `code-mode` (default model; no
 * top-level tools, a custom `exec` tool running JavaScript in an `additional_tools` input item),
 * `classic` (top-level `apply_patch` and `exec_command`) or `shell-only` (`exec_command` alone; a
 * patch goes through it as an `apply_patch` heredoc, which codex intercepts).
 */
export type Surface = 'code-mode' | 'classic' | 'shell-only' | 'none';

const names = (tools: ReadonlyArray<Tool>): Array<string> =>
  tools.flatMap((t) => (t.type === 'namespace' ? names(t.tools ?? []) : t.name ? [t.name] : []));

export const codexSurface = (body: ResponsesRequest): Surface => {
  const extra = (body.input ?? []).filter((i) => i.type === 'additional_tools').flatMap((i) => names(i.tools ?? []));
  if (extra.includes('exec')) return 'code-mode';
  const top = names(body.tools ?? []);
  if (top.includes('apply_patch')) return 'classic';
  if (top.includes('exec_command')) return 'shell-only';
  return 'none';
};

/** Model turns already taken: the tool outputs in the history. */
export const codexTurn = (body: ResponsesRequest): number =>
  (body.input ?? []).filter((i) => i.type.endsWith('_call_output')).length;

export type Lowered = {item: Record<string, unknown>} | {problem: string};

const shellArgs = (cmd: string, escalate: boolean | undefined): Record<string, unknown> =>
  escalate ? {cmd, sandbox_permissions: 'require_escalated', justification: 'The scripted step needs it'} : {cmd};

/** JavaScript for code mode's `exec`: call one nested tool, hand its result back as text. */
const execScript = (call: string): string =>
  `const r = await ${call};\ntext(typeof r === 'string' ? r : JSON.stringify(r));\n`;

/** The output item codex gets for a step; call ids derive from the turn, so they are stable. */
export const lowerForCodex = (step: Step, body: ResponsesRequest, turn: number): Lowered => {
  const callId = `call_fake_${turn}`;
  const surface = codexSurface(body);
  const custom = (name: string, input: string) => ({
    item: {type: 'custom_tool_call', id: `ctc_fake_${turn}`, call_id: callId, name, input, status: 'completed'},
  });
  const shell = (args: Record<string, unknown>) => ({
    item: {
      type: 'function_call',
      id: `fc_fake_${turn}`,
      call_id: callId,
      name: 'exec_command',
      arguments: JSON.stringify(args),
      status: 'completed',
    },
  });
  const patchOf = (s: Step): string | undefined =>
    'patch' in s ? s.patch : 'write' in s ? addFilePatch(s.write.path, s.write.content) : undefined;

  const patch = patchOf(step);
  if (patch !== undefined) {
    if (surface === 'code-mode') return custom('exec', execScript(`tools.apply_patch(${JSON.stringify(patch)})`));
    if (surface === 'classic') return custom('apply_patch', patch);
    if (surface === 'shell-only')
      return shell({cmd: `apply_patch <<'PATCH'\n${patch.endsWith('\n') ? patch : `${patch}\n`}PATCH\n`});
    return {problem: 'fake model: the request offers no tool that can apply a patch'};
  }
  if ('shell' in step) {
    const args = shellArgs(step.shell, step.escalate);
    if (surface === 'code-mode') return custom('exec', execScript(`tools.exec_command(${JSON.stringify(args)})`));
    if (surface === 'none') return {problem: 'fake model: the request offers no shell tool'};
    return shell(args);
  }
  if ('text' in step) {
    return {
      item: {
        type: 'message',
        role: 'assistant',
        id: `msg_fake_${turn}`,
        status: 'completed',
        content: [{type: 'output_text', text: step.text, annotations: []}],
      },
    };
  }
  return {problem: 'fake model: an error step is not lowered'};
};

const usage = {
  input_tokens: 10,
  input_tokens_details: {cached_tokens: 0},
  output_tokens: 5,
  output_tokens_details: {reasoning_tokens: 0},
  total_tokens: 15,
};

/** The complete response, for a non-streaming request. */
export const codexResponse = (item: Record<string, unknown>, model: string, turn: number): Record<string, unknown> => ({
  id: `resp_fake_${turn}`,
  object: 'response',
  status: 'completed',
  model,
  output: [item],
  usage,
});

/** The minimal event sequence codex needs: created, the item added and done, completed. */
export const codexStream = (item: Record<string, unknown>, model: string, turn: number): Array<SseEvent> => {
  const id = `resp_fake_${turn}`;
  const events: Array<[string, Record<string, unknown>]> = [
    ['response.created', {response: {id, object: 'response', status: 'in_progress', model, output: []}}],
    ['response.output_item.added', {output_index: 0, item}],
    ['response.output_item.done', {output_index: 0, item}],
    ['response.completed', {response: codexResponse(item, model, turn)}],
  ];
  return events.map(([event, data], sequence_number) => ({event, data: {type: event, sequence_number, ...data}}));
};

export const codexError = (status: number, message: string): Record<string, unknown> => ({
  error: {
    message,
    type: status === 401 ? 'invalid_request_error' : 'server_error',
    code: status === 401 ? 'invalid_api_key' : null,
  },
});

/** The tool outputs in the history, each tied to the tool the fake called. */
export const codexToolResults = (body: ResponsesRequest): Array<ToolResult> => {
  const input = body.input ?? [];
  const tools = new Map(
    input.filter((i) => i.type.endsWith('_call') && i.call_id).map((i) => [i.call_id as string, i.name]),
  );
  return input
    .filter((i) => i.type.endsWith('_call_output') && i.call_id)
    .map((i) => ({callId: i.call_id as string, tool: tools.get(i.call_id as string), text: textOf(i.output)}));
};
