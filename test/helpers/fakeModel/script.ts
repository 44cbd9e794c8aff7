/**
 * What the fake model does at each turn, said as an intent; each API module lowers it to the tool
 * surface the request offers (Claude's Write/Bash tools, codex's apply_patch/exec_command or its
 * code-mode `exec`).
 */
export type Intent =
  /** Create a file. A relative path is resolved against the harness's working directory. */
  | {write: {path: string; content: string}}
  /** Run a shell command (`escalate`: codex asks to run it outside its sandbox). */
  | {shell: string; escalate?: boolean}
  /** Apply a codex patch (`*** Begin Patch` ... `*** End Patch`); codex only. */
  | {patch: string}
  /** Reply text and end the turn. */
  | {text: string}
  /** Answer with an HTTP error, shaped as the API's error body (e.g. 401 for an auth failure). */
  | {error: {status: number; message: string}};

/** An intent, optionally answered late (`delayMs`) or never (`hang`: held open, no bytes). */
export type Step = Intent & {delayMs?: number; hang?: boolean};

/** The steps of one conversation; a request past the end gets {@link FINAL}. */
export type Script = ReadonlyArray<Step>;

export const FINAL: Step = {text: 'done'};

/**
 * The step for a request whose history already holds `turn` model turns. Chosen from the history,
 * never from a counter, so retries and side requests cannot put the script out of step.
 */
export const stepAt = (script: Script, turn: number): Step => script[turn] ?? FINAL;

/** The kind of an intent, for the request log. */
export const kindOf = (step: Step): 'write' | 'shell' | 'patch' | 'text' | 'error' => {
  if ('write' in step) return 'write';
  if ('shell' in step) return 'shell';
  if ('patch' in step) return 'patch';
  if ('error' in step) return 'error';
  return 'text';
};
