import {environmentCause, type HarnessAdapter, type HarnessSignal, type Posture} from '../runs/api.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const failed = (message: string): HarnessSignal => ({
  outcome: environmentCause([message]) ?? {
    class: 'failed',
    signal: 'error',
    reason: `codex reported an error: ${message.slice(0, 160)}`,
  },
});

/** codex's own line when the model cannot be reached: it reconnects forever, so this is a retry, not an error. */
const RECONNECTING = /^Reconnecting\b/i;

// codex prints a rejected patch only on stderr (`ERROR codex_core::tools::router: error=patch rejected: …`).
const PATCH_REJECTED = /\bpatch rejected\b/;

/**
 * Reads both shapes `codex exec --json` has printed: the current events (`thread.started` with
 * `thread_id`, `item.completed` with an `agent_message` item, `turn.failed`/`error`) and the older
 * `{msg: {type}}` envelope (`session_configured`, `agent_message`, `task_complete`, `error`).
 */
const readLine = (line: Json, denied: Array<string>): HarnessSignal | undefined => {
  const type = str(line.type);
  if (type === 'thread.started' && str(line.thread_id)) return {sessionId: str(line.thread_id)};
  if (type === 'item.completed') {
    const item = obj(line.item);
    if (!item) return undefined;
    // A refused action: one the approval policy declined, or a file change the sandbox failed.
    if (item.status === 'declined' || (item.type === 'file_change' && item.status === 'failed')) {
      denied.push(str(item.type) ?? 'unknown');
      return {denied: [...denied]};
    }
    return item.type === 'agent_message' && str(item.text) !== undefined ? {report: str(item.text)} : undefined;
  }
  if (type === 'turn.completed')
    return {outcome: {class: 'completed', signal: 'turn.completed', reason: 'the agent finished its turn'}};
  if (type === 'turn.failed') return failed(str(obj(line.error)?.message) ?? 'turn failed');
  if (type === 'error') {
    const message = str(line.message) ?? 'error';
    return RECONNECTING.test(message) ? {retrying: true} : failed(message);
  }
  const msg = obj(line.msg);
  if (!msg) return undefined;
  switch (msg.type) {
    case 'session_configured':
      return str(msg.session_id) ? {sessionId: str(msg.session_id)} : undefined;
    case 'agent_message':
      return str(msg.message) !== undefined ? {report: str(msg.message)} : undefined;
    case 'task_complete':
      return {
        ...(str(msg.last_agent_message) !== undefined ? {report: str(msg.last_agent_message)} : {}),
        outcome: {class: 'completed', signal: 'task_complete', reason: 'the agent finished its task'},
      };
    case 'error':
      return failed(str(msg.message) ?? 'error');
    default:
      return undefined;
  }
};

/**
 * spor's postures as codex sandbox modes, always with approval `never` (exec cannot ask anyone).
 * Under `workspace-write` codex keeps `.git` read-only, so an `edit` agent cannot commit
 * (shared/design/real-harnesses.md §3.4).
 */
export const SANDBOX_MODES: Record<Posture, string> = {
  'read-only': 'read-only',
  edit: 'workspace-write',
  full: 'danger-full-access',
};

/**
 * Codex headless: `codex exec --json`, the prompt on stdin (`-`), the final message also written
 * to the run's report file by `--output-last-message`. The posture is `--sandbox` (a `--sandbox`
 * given to dispatch wins) and the approval policy a `-c approval_policy=…` override: codex 0.171
 * takes neither `--ask-for-approval` nor `--full-auto` after `exec`.
 */
export const codexAdapter: HarnessAdapter = {
  name: 'codex',
  binary: 'codex',
  binarySetting: 'harness.codex.binary',
  flags: [
    {name: 'sandbox', description: 'Codex: its --sandbox (overrides the posture)'},
    {name: 'approval-policy', description: 'Codex: its approval_policy (default never)'},
  ],
  helpArgs: ['exec', '--help'],
  // What codex documents reading from the environment: the OpenAI key and base URL, its own home.
  envVars: ['OPENAI_*', 'CODEX_*'],
  launch: (req) => ({
    argv: [
      req.binary,
      'exec',
      '--json',
      '--sandbox',
      req.flags.sandbox ?? SANDBOX_MODES[req.posture],
      '-c',
      // The value is TOML; a JSON string is a valid TOML basic string.
      `approval_policy=${JSON.stringify(req.flags['approval-policy'] ?? 'never')}`,
      '--output-last-message',
      req.reportFile,
      ...(req.model ? ['--model', req.model] : []),
      ...req.args,
      '-',
    ],
  }),
  parser: () => {
    const denied: Array<string> = [];
    return {
      line: (text, stream) => {
        if (stream === 'stderr') {
          if (!PATCH_REJECTED.test(text)) return undefined;
          denied.push('apply_patch');
          return {denied: [...denied]};
        }
        const t = text.trim();
        if (!t.startsWith('{')) return undefined;
        try {
          const line = obj(JSON.parse(t));
          return line ? readLine(line, denied) : undefined;
        } catch {
          return undefined;
        }
      },
    };
  },
  classify: (_exit, tail) => environmentCause(tail),
};
