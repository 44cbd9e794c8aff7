import {environmentCause, type HarnessAdapter, type HarnessSignal, type Posture} from '../runs/api.js';

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

/** spor's postures as Claude Code permission modes (observed with 2.1.197: shared/design/real-harnesses.md §2.3). */
export const PERMISSION_MODES: Record<Posture, string> = {
  // Plan mode reads and answers; every Write/Edit is refused ("Cannot write … while in plan mode").
  'read-only': 'plan',
  // Writes and edits inside the working directory are allowed; Bash still needs an approval that
  // print mode cannot give, so the agent runs no commands (and so does not commit).
  edit: 'acceptEdits',
  full: 'bypassPermissions',
};

// What makes Claude Code skip every permission check: it refuses to start so as root.
const bypasses = (argv: ReadonlyArray<string>): boolean =>
  argv.includes('--dangerously-skip-permissions') ||
  argv.some((a, i) => a === '--permission-mode' && argv[i + 1] === 'bypassPermissions') ||
  argv.includes('--permission-mode=bypassPermissions');

// The tools a result line says were refused (Claude exits 0 with subtype success even when every
// edit was refused: only `permission_denials` tells).
const deniedIn = (msg: StreamLine): Array<string> =>
  Array.isArray(msg.permission_denials)
    ? msg.permission_denials.map((d) => (typeof d?.tool_name === 'string' ? d.tool_name : 'unknown'))
    : [];

/**
 * Claude Code headless: `claude -p --output-format stream-json --verbose`, the prompt on stdin,
 * the posture as `--permission-mode` (a `--permission-mode` given to dispatch wins), the run's name
 * as `--name`. Its stream opens with a `system`/`init` line carrying `session_id` and ends with a
 * `result` line: `result` is the final message, `is_error` says whether the run failed (`subtype`
 * stays `success` even on an API failure), `permission_denials` which tool calls were refused.
 * `system`/`api_retry` lines are retries of a model it cannot reach.
 */
export const claudeAdapter: HarnessAdapter = {
  name: 'claude-code',
  binary: 'claude',
  binarySetting: 'harness.claude-code.binary',
  flags: [
    {name: 'permission-mode', description: 'Claude Code: its --permission-mode (overrides the posture)'},
    {name: 'agent', description: 'Claude Code: the agent definition (--agent) the session runs'},
  ],
  helpArgs: ['--help'],
  // What Claude Code's documentation lists as its environment: its gateway, key and model
  // variables, its own switches, and where its configuration lives.
  envVars: ['ANTHROPIC_*', 'CLAUDE_CODE_*', 'CLAUDE_CONFIG_DIR'],
  launch: (req) => ({
    argv: [
      req.binary,
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      ...(req.name ? ['--name', req.name] : []),
      ...(req.model ? ['--model', req.model] : []),
      '--permission-mode',
      req.flags['permission-mode'] ?? PERMISSION_MODES[req.posture],
      ...(req.flags.agent ? ['--agent', req.flags.agent] : []),
      ...req.args,
    ],
  }),
  preflight: ({argv, env, uid}) =>
    uid === 0 && bypasses(argv) && env.IS_SANDBOX !== '1'
      ? 'Claude Code refuses to skip permissions (posture full, bypassPermissions) when run as root, and would exit at once'
      : undefined,
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
