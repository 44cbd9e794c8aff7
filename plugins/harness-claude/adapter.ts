import {environmentCause, type HarnessAdapter, type HarnessSignal} from '../runs/api.js';

interface StreamLine {
  type?: string;
  subtype?: string;
  session_id?: string;
  is_error?: boolean;
  result?: string;
  permission_denials?: Array<{tool_name?: unknown}>;
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

// The tools a result line says were refused (Claude exits 0 with subtype success even when every
// edit was refused: only `permission_denials` tells).
const deniedIn = (msg: StreamLine): Array<string> =>
  Array.isArray(msg.permission_denials)
    ? msg.permission_denials.map((d) => (typeof d?.tool_name === 'string' ? d.tool_name : 'unknown'))
    : [];

/**
 * Claude Code headless: `claude -p --output-format stream-json --verbose`, the prompt on stdin.
 * Its stream opens with a `system`/`init` line carrying `session_id` and ends with a `result`
 * line: `result` is the final message, `is_error` says whether the run failed (`subtype` stays
 * `success` even on an API failure), `permission_denials` which tool calls were refused.
 * `system`/`api_retry` lines are retries of a model it cannot reach.
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
    line: (text, stream): HarnessSignal | undefined => {
      if (stream === 'stderr') return undefined;
      const msg = parse(text.trim());
      if (!msg) return undefined;
      const session = typeof msg.session_id === 'string' ? {sessionId: msg.session_id} : {};
      if (msg.type === 'system' && msg.subtype === 'api_retry') return {retrying: true};
      if (msg.type !== 'result') return msg.type === 'system' && msg.subtype === 'init' ? session : undefined;
      const report = typeof msg.result === 'string' ? msg.result : undefined;
      const denied = deniedIn(msg);
      const base = {...session, ...(report !== undefined ? {report} : {}), ...(denied.length > 0 ? {denied} : {})};
      if (msg.is_error !== true && (msg.subtype === undefined || msg.subtype === 'success')) {
        return {
          ...base,
          outcome: {class: 'completed', signal: 'result', reason: 'the agent reported success'},
        };
      }
      const why = report ?? msg.subtype ?? 'error';
      return {
        ...base,
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
