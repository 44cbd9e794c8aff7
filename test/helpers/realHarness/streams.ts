// Reading the CLIs' JSON event streams: only the fields whose meaning the tier relies on.
type Event = Record<string, unknown>;

/** Claude's final `{type: "result"}` event (its `is_error`, not its `subtype`, says whether it failed). */
export interface ClaudeResult {
  is_error: boolean;
  subtype: string;
  result?: string;
  permission_denials: Array<{tool_name: string; tool_use_id: string; tool_input: Record<string, unknown>}>;
}

export const claudeResult = (events: ReadonlyArray<Event>): ClaudeResult | undefined => {
  const last = events.at(-1);
  return last?.type === 'result' ? (last as unknown as ClaudeResult) : undefined;
};

/** The permission mode Claude's `system/init` event reports. */
export const claudePermissionMode = (events: ReadonlyArray<Event>): string | undefined => {
  const init = events.find((e) => e.type === 'system' && e.subtype === 'init');
  return typeof init?.permissionMode === 'string' ? init.permissionMode : undefined;
};

/** codex's completed items of one type (`file_change`, `command_execution`, `agent_message`). */
export const codexItems = (events: ReadonlyArray<Event>, type: string): Array<Record<string, unknown>> =>
  events.flatMap((e) => {
    const item = e.item as Record<string, unknown> | undefined;
    return e.type === 'item.completed' && item?.type === type ? [item] : [];
  });

/** The type of the last event (`turn.completed` when codex finished its turn). */
export const lastType = (events: ReadonlyArray<Event>): unknown => events.at(-1)?.type;
