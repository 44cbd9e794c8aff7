// The fake model's own contract, over real HTTP on 127.0.0.1, for the paths the real CLIs do not
// take on every run (non-streaming, count_tokens, side requests, each codex tool surface, errors,
// hangs, a server that goes down). Needs no CLI, so it runs even when the install was impossible.
import {readFileSync} from 'node:fs';
import {request} from 'node:http';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {addFilePatch, startFakeModel, type FakeModel, type Script} from '../helpers/fakeModel/index.js';
import {tempDir} from '../helpers/tempHome.js';

const fakes: Array<FakeModel> = [];
const start = async (script: Script, opts: {logFile?: string; delayMs?: number} = {}): Promise<FakeModel> => {
  const fake = await startFakeModel({script, ...opts});
  fakes.push(fake);
  return fake;
};
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

interface Reply {
  status: number;
  contentType?: string;
  text: string;
  json: () => unknown;
}

/** One request over a fresh connection (no client pool outlives a test's fake). */
const call = (fake: FakeModel, method: string, path: string, body?: unknown): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request(
      `${fake.url}${path}`,
      {method, agent: false, headers: {'content-type': 'application/json'}},
      (res) => {
        const chunks: Array<Buffer> = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });

const post = (fake: FakeModel, path: string, body: unknown): Promise<Reply> => call(fake, 'POST', path, body);

/** The `data` of each server-sent event, in order. */
const sseData = (res: Reply): Array<Record<string, unknown>> =>
  res.text
    .split('\n\n')
    .filter((chunk) => chunk.includes('data: '))
    .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as Record<string, unknown>);

const claudeTools = [{name: 'Write'}, {name: 'Bash'}];
const system = [
  {
    type: 'text',
    text: 'You have been invoked in the following environment: \n - Primary working directory: /work/repo\n - Is a git repository: true',
  },
];

describe('fake model: Anthropic Messages API', () => {
  it('answers the first turn with the scripted tool call, streamed, its relative path resolved against the stated working directory', async () => {
    const fake = await start([{write: {path: 'HELLO.md', content: 'hi\n'}}]);

    const res = await post(fake, '/v1/messages?beta=true', {
      model: 'm',
      stream: true,
      system,
      tools: claudeTools,
      messages: [{role: 'user', content: 'go'}],
    });

    expect(res.contentType).toBe('text/event-stream');
    const events = sseData(res);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[1]).toMatchObject({content_block: {type: 'tool_use', id: 'toolu_fake_0', name: 'Write'}});
    expect(JSON.parse((events[2]?.delta as {partial_json: string}).partial_json)).toEqual({
      file_path: '/work/repo/HELLO.md',
      content: 'hi\n',
    });
    expect(events[4]).toMatchObject({delta: {stop_reason: 'tool_use'}});
  });

  it('chooses the step from the assistant messages in the history, and logs the tool results it carries', async () => {
    const fake = await start([{shell: 'ls'}, {text: 'all done'}]);
    const messages = [
      {role: 'user', content: 'go'},
      {role: 'assistant', content: [{type: 'tool_use', id: 'toolu_fake_0', name: 'Bash', input: {command: 'ls'}}]},
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_fake_0',
            content: [{type: 'text', text: 'README.md'}],
            is_error: false,
          },
        ],
      },
    ];

    // asked twice (a retry): the same answer, since nothing but the history decides it
    for (let i = 0; i < 2; i++) {
      const res = await post(fake, '/v1/messages', {model: 'm', system, tools: claudeTools, messages});
      expect(res.json()).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{type: 'text', text: 'all done'}],
        stop_reason: 'end_turn',
      });
    }
    expect(fake.log.model().map((r) => [r.turn, r.reply])).toEqual([
      [1, 'text'],
      [1, 'text'],
    ]);
    expect(fake.log.toolResults()).toEqual([{callId: 'toolu_fake_0', tool: 'Bash', text: 'README.md', isError: false}]);
  });

  it('answers a request without tools (a session title) as a side request, outside the script', async () => {
    const fake = await start([{shell: 'ls'}]);

    const res = await post(fake, '/v1/messages', {model: 'm', messages: [{role: 'user', content: 'title?'}]});

    expect(res.json()).toMatchObject({content: [{type: 'text'}]});
    expect(fake.log.all().map((r) => r.reply)).toEqual(['side']);
    expect(fake.log.model()).toEqual([]);
  });

  it('answers the base-URL probe, count_tokens and unknown paths harmlessly', async () => {
    const fake = await start([]);

    expect((await call(fake, 'HEAD', '/')).status).toBe(200);
    expect((await post(fake, '/v1/messages/count_tokens', {messages: []})).json()).toEqual({input_tokens: 10});
    expect((await call(fake, 'GET', '/v1/models')).status).toBe(404);
    expect(fake.log.all().map((r) => [r.method, r.path, r.reply])).toEqual([
      ['HEAD', '/', 'probe'],
      ['POST', '/v1/messages/count_tokens', 'count_tokens'],
      ['GET', '/v1/models', 'not-found'],
    ]);
  });

  it('answers an error step with the API error body, and a step it cannot lower with a 400 it records as a problem', async () => {
    const fake = await start([
      {error: {status: 401, message: 'invalid x-api-key'}},
      {patch: addFilePatch('A.md', 'a')},
    ]);
    const first = {model: 'm', system, tools: claudeTools, messages: [{role: 'user', content: 'go'}]};
    const second = {
      ...first,
      messages: [...first.messages, {role: 'assistant', content: 'x'}, {role: 'user', content: 'y'}],
    };

    const auth = await post(fake, '/v1/messages', first);
    const patch = await post(fake, '/v1/messages', second);

    expect(auth.status).toBe(401);
    expect(auth.json()).toEqual({type: 'error', error: {type: 'authentication_error', message: 'invalid x-api-key'}});
    expect(patch.status).toBe(400);
    expect(fake.log.problems()).toEqual([expect.stringContaining('no Claude Code lowering')]);
  });
});

describe('fake model: OpenAI Responses API', () => {
  const userInput = [{type: 'message', role: 'user', content: [{type: 'input_text', text: 'go'}]}];
  const classic = {
    model: 'gpt-5.5',
    stream: true,
    tools: [
      {type: 'function', name: 'exec_command'},
      {type: 'custom', name: 'apply_patch'},
    ],
    input: userInput,
  };
  const shellOnly = {...classic, tools: [{type: 'function', name: 'exec_command'}]};
  const codeMode = {
    model: 'gpt-6.2-sol',
    stream: true,
    input: [
      {
        type: 'additional_tools',
        role: 'developer',
        tools: [{type: 'namespace', name: 'functions', tools: [{type: 'custom', name: 'exec'}]}],
      },
      ...userInput,
    ],
  };
  const itemOf = (res: Reply): Record<string, unknown> => {
    const events = sseData(res);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    return events[2]?.item as Record<string, unknown>;
  };

  it('lowers a write to the surface the request offers: apply_patch, a heredoc through exec_command, or code mode JavaScript', async () => {
    const fake = await start([{write: {path: 'HELLO.md', content: 'hi\n'}}]);
    const patch = addFilePatch('HELLO.md', 'hi\n');

    expect(itemOf(await post(fake, '/v1/responses', classic))).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      call_id: 'call_fake_0',
      input: patch,
    });
    const heredoc = itemOf(await post(fake, '/v1/responses', shellOnly));
    expect(heredoc).toMatchObject({type: 'function_call', name: 'exec_command'});
    expect(JSON.parse(heredoc.arguments as string)).toEqual({cmd: `apply_patch <<'PATCH'\n${patch}PATCH\n`});
    const exec = itemOf(await post(fake, '/v1/responses', codeMode));
    expect(exec).toMatchObject({type: 'custom_tool_call', name: 'exec'});
    expect(exec.input).toContain(`tools.apply_patch(${JSON.stringify(patch)})`);
    expect(fake.log.model().map((r) => r.surface)).toEqual(['classic', 'shell-only', 'code-mode']);
  });

  it('chooses the step from the tool outputs in the input, and lowers an escalated shell step', async () => {
    const fake = await start([
      {patch: addFilePatch('A.md', 'a\n')},
      {shell: 'git commit -m x', escalate: true},
      {text: 'done'},
    ]);
    const history = [
      ...userInput,
      {type: 'custom_tool_call', call_id: 'call_fake_0', name: 'apply_patch', input: '…'},
      {
        type: 'custom_tool_call_output',
        call_id: 'call_fake_0',
        output: 'Success. Updated the following files:\nA A.md\n',
      },
    ];

    const item = itemOf(await post(fake, '/v1/responses', {...classic, input: history}));

    expect(item).toMatchObject({type: 'function_call', name: 'exec_command', call_id: 'call_fake_1'});
    expect(JSON.parse(item.arguments as string)).toMatchObject({
      cmd: 'git commit -m x',
      sandbox_permissions: 'require_escalated',
    });
    expect(fake.log.toolResults()).toEqual([
      {callId: 'call_fake_0', tool: 'apply_patch', text: 'Success. Updated the following files:\nA A.md\n'},
    ]);
  });

  it('ends with a message item once the script is spent', async () => {
    const fake = await start([]);

    expect(itemOf(await post(fake, '/v1/responses', classic))).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{type: 'output_text', text: 'done'}],
    });
  });
});

describe('fake model: delays, hangs, down', () => {
  const request = {model: 'gpt-5.5', stream: true, tools: [{type: 'function', name: 'exec_command'}], input: []};

  it('holds a hanging step open without a byte, logs it on arrival, and drops it when the fake goes down', async () => {
    const fake = await start([{text: 'never sent', hang: true}]);

    const pending = post(fake, '/v1/responses', request);
    await expect.poll(() => fake.log.all().map((r) => r.reply)).toEqual(['hang']);
    await fake.down();

    await expect(pending).rejects.toThrow();
    await expect(call(fake, 'HEAD', '/')).rejects.toThrow();
  });

  it('answers a delayed step once its delay has passed', async () => {
    const fake = await start([{text: 'late', delayMs: 5}]);

    const res = await post(fake, '/v1/responses', request);

    expect(sseData(res).at(-1)).toMatchObject({type: 'response.completed'});
  });

  it('started down: its URL refuses connections and nothing is logged', async () => {
    const fake = await startFakeModel({down: true});

    await expect(call(fake, 'HEAD', '/')).rejects.toThrow();
    expect(fake.log.all()).toEqual([]);
  });

  it('appends every request to its JSONL file as it arrives', async () => {
    const logFile = join(tempDir(), 'fake.jsonl');
    const fake = await start([], {logFile});

    await call(fake, 'HEAD', '/');
    await post(fake, '/v1/responses', request);

    const lines = readFileSync(logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as {reply: string});
    expect(lines.map((l) => l.reply)).toEqual(['probe', 'text']);
    expect(readFileSync(logFile, 'utf8')).toBe(fake.log.jsonl());
  });
});
