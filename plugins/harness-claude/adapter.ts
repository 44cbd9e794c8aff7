import {environmentCause, type HarnessAdapter, type HarnessSignal} from '../runs/api.js';

interface StreamLine {
  type?: string;
  subtype?: string;
  session_id?: string;
  is_error?: boolean;
  result?: string;
}

const parse = (text: string): StreamLine | undefined => {
  if (!text.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as StreamLine) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Claude Code headless: `claude -p --output-format stream-json --verbose`, the prompt on stdin.
 * Its stream opens with a `system`/`init` line carrying `session_id` and ends with a `result`
 * line: `result` is the final message, `is_error`/`subtype` say whether the run failed.
 */
export const claudeAdapter: HarnessAdapter = {
  name: 'claude-code',
  binary: 'claude',
  binarySetting: 'harness.claude-code.binary',
  flags: [
    {name: 'permission-mode', description: 'Claude Code: its --permission-mode'},
    {name: 'agent', description: 'Claude Code: the agent definition (--agent) the session runs'},
  ],
  launch: (req) => ({
    argv: [
      req.binary,
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      ...(req.model ? ['--model', req.model] : []),
      ...(req.flags['permission-mode'] ? ['--permission-mode', req.flags['permission-mode']] : []),
      ...(req.flags.agent ? ['--agent', req.flags.agent] : []),
    ],
  }),
  parser: () => ({
    line: (text): HarnessSignal | undefined => {
      const msg = parse(text.trim());
      if (!msg) return undefined;
      const session = typeof msg.session_id === 'string' ? {sessionId: msg.session_id} : {};
      if (msg.type !== 'result') return msg.type === 'system' && msg.subtype === 'init' ? session : undefined;
      const report = typeof msg.result === 'string' ? msg.result : undefined;
      if (msg.is_error !== true && (msg.subtype === undefined || msg.subtype === 'success')) {
        return {
          ...session,
          ...(report !== undefined ? {report} : {}),
          outcome: {class: 'completed', signal: 'result', reason: 'the agent reported success'},
        };
      }
      const why = report ?? msg.subtype ?? 'error';
      return {
        ...session,
        ...(report !== undefined ? {report} : {}),
        outcome: environmentCause([why]) ?? {
          class: 'failed',
          signal: msg.subtype ?? 'error',
          reason: `the agent reported an error: ${why.slice(0, 160)}`,
        },
      };
    },
  }),
  classify: (_exit, tail) => environmentCause(tail),
};
