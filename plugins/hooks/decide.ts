import {type EventDraft, RefusalError, UsageError, formatDuration} from '../../core/index.js';
import type {HookAdded, HookRemoved} from './events.js';
import type {HookEntry, HooksState} from './projection.js';

/** The wildcard subscription: every event type except `hook-ran`. */
export const ANY_EVENT = '*';

/** Checks that `event` is `*` or a type some loaded plugin declares; a usage error lists them. */
export const checkEventType = (event: string, known: ReadonlyArray<string>): void => {
  if (event === ANY_EVENT || known.includes(event)) return;
  throw new UsageError(`unknown event type '${event}'`, {
    code: 'E_HOOK_EVENT',
    hint: `use '*' or one of: ${known.join(', ')}`,
  });
};

const sameArgs = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The hook already subscribed with this event, executable and arguments, if any. */
export const existingHook = (input: Omit<HookEntry, 'id' | 'timeout_ms'>, s: HooksState): HookEntry | undefined =>
  s.hooks.find((h) => h.event === input.event && h.path === input.path && sameArgs(h.args, input.args));

/**
 * Subscribes an executable to an event type under the next id (`h1`, `h2`, …). The same
 * subscription twice writes nothing; the same one with another timeout is refused, because two
 * copies would run the script twice.
 */
export const addHook = (input: Omit<HookEntry, 'id'>, s: HooksState): Array<EventDraft<HookAdded>> => {
  const existing = existingHook(input, s);
  if (existing && existing.timeout_ms === input.timeout_ms) return [];
  if (existing) {
    const was = existing.timeout_ms === null ? 'the hooks.timeout setting' : formatDuration(existing.timeout_ms);
    throw new RefusalError(`hook ${existing.id} already runs ${existing.path} on ${existing.event} (timeout: ${was})`, {
      code: 'E_HOOK_EXISTS',
      hint: `to change its timeout: spor hooks rm ${existing.id}, then add it again`,
    });
  }
  return [{type: 'hook-added', data: {id: `h${s.next}`, ...input, args: [...input.args]}}];
};

/** Unsubscribes a hook; an unknown id writes nothing. */
export const removeHook = (input: {id: string}, s: HooksState): Array<EventDraft<HookRemoved>> =>
  s.hooks.some((h) => h.id === input.id) ? [{type: 'hook-removed', data: {id: input.id}}] : [];
