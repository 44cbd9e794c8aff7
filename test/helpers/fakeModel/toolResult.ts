/** What a harness sent back to the model for one tool call: its own wording of the outcome. */
export interface ToolResult {
  callId: string;
  /** The tool the fake called (`Write`, `Bash`, `apply_patch`, `exec_command`, `exec`). */
  tool?: string;
  text: string;
  /** Claude marks refusals and failures; codex does not. */
  isError?: boolean;
}

/** The text of a tool output given as a string or as content parts. */
export const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) => (p && typeof p === 'object' && 'text' in p && typeof p.text === 'string' ? p.text : ''))
      .join('');
  }
  return content === undefined ? '' : JSON.stringify(content);
};
