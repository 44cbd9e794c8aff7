// What the fake answers one request: a pure function of the request and the script.
import {
  claudeError,
  claudeMessage,
  claudeStream,
  claudeToolResults,
  claudeTurn,
  isSideRequest,
  lowerForClaude,
  type MessagesRequest,
} from './anthropic.js';
import {
  codexError,
  codexResponse,
  codexStream,
  codexSurface,
  codexToolResults,
  codexTurn,
  lowerForCodex,
  type ResponsesRequest,
} from './openai.js';
import type {Api, Reply} from './requestLog.js';
import {kindOf, stepAt, type Script, type Step} from './script.js';
import type {SseEvent} from './sse.js';
import type {ToolResult} from './toolResult.js';

export interface Decision {
  api: Api;
  reply: Reply;
  turn?: number;
  surface?: string;
  problem?: string;
  toolResults: Array<ToolResult>;
  /** The scripted step, for its delay or hang. */
  step?: Step;
  status: number;
  /** A JSON body; neither this nor `sse` means an empty body. */
  json?: unknown;
  sse?: Array<SseEvent>;
}

const anthropic = (body: MessagesRequest, script: Script): Decision => {
  const toolResults = claudeToolResults(body);
  const model = body.model ?? 'claude-fake';
  if (isSideRequest(body)) {
    const side = {blocks: [{type: 'text', text: 'Fake side reply'}], stopReason: 'end_turn'};
    return {
      api: 'anthropic',
      reply: 'side',
      toolResults,
      status: 200,
      ...(body.stream ? {sse: claudeStream(side, model, 0)} : {json: claudeMessage(side, model, 0)}),
    };
  }
  const turn = claudeTurn(body);
  const step = stepAt(script, turn);
  const base = {api: 'anthropic' as const, turn, toolResults, step};
  if ('error' in step)
    return {
      ...base,
      reply: 'error',
      status: step.error.status,
      json: claudeError(step.error.status, step.error.message),
    };
  const lowered = lowerForClaude(step, body, turn);
  if ('problem' in lowered)
    return {...base, reply: 'problem', problem: lowered.problem, status: 400, json: claudeError(400, lowered.problem)};
  return {
    ...base,
    reply: kindOf(step),
    status: 200,
    ...(body.stream ? {sse: claudeStream(lowered, model, turn)} : {json: claudeMessage(lowered, model, turn)}),
  };
};

const openai = (body: ResponsesRequest, script: Script): Decision => {
  const turn = codexTurn(body);
  const step = stepAt(script, turn);
  const model = body.model ?? 'gpt-fake';
  const base = {api: 'openai' as const, turn, surface: codexSurface(body), toolResults: codexToolResults(body), step};
  if ('error' in step)
    return {
      ...base,
      reply: 'error',
      status: step.error.status,
      json: codexError(step.error.status, step.error.message),
    };
  const lowered = lowerForCodex(step, body, turn);
  if ('problem' in lowered)
    return {...base, reply: 'problem', problem: lowered.problem, status: 400, json: codexError(400, lowered.problem)};
  // codex always streams; a request that says `stream: false` gets the whole response
  return {
    ...base,
    reply: kindOf(step),
    status: 200,
    ...(body.stream === false
      ? {json: codexResponse(lowered.item, model, turn)}
      : {sse: codexStream(lowered.item, model, turn)}),
  };
};

/** Routes by path suffix, so a base URL with a path prefix works too; unknown paths get a 404. */
export const decide = (method: string, path: string, body: unknown, script: Script): Decision => {
  const post = method === 'POST' && typeof body === 'object' && body !== null;
  if (method === 'HEAD' || (method === 'GET' && path === '/')) {
    // Claude Code probes its base URL before the first request
    return {api: 'other', reply: 'probe', toolResults: [], status: 200, json: method === 'GET' ? {} : undefined};
  }
  if (post && path.endsWith('/messages/count_tokens'))
    return {api: 'anthropic', reply: 'count_tokens', toolResults: [], status: 200, json: {input_tokens: 10}};
  if (post && path.endsWith('/messages')) return anthropic(body as MessagesRequest, script);
  if (post && path.endsWith('/responses')) return openai(body as ResponsesRequest, script);
  return {
    api: 'other',
    reply: 'not-found',
    toolResults: [],
    status: 404,
    json: {type: 'error', error: {type: 'not_found_error', message: `fake model: no route ${method} ${path}`}},
  };
};
