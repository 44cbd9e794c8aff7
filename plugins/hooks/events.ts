import * as t from 'typanion';
import {defineEvents, type SporEvent, formatDuration} from '../../core/index.js';

/** A hook subscribed: `event` is an event type or `*`; `timeout_ms` null means "follow hooks.timeout". */
export type HookAdded = SporEvent<
  'hook-added',
  1,
  {id: string; event: string; path: string; args: Array<string>; timeout_ms: number | null}
>;
export type HookRemoved = SporEvent<'hook-removed', 1, {id: string}>;
/** One run of a hook; its `causation` is the event it ran for. `error` only when it could not start. */
export type HookRan = SporEvent<
  'hook-ran',
  1,
  {
    hook: string;
    event_id: string;
    event_type: string;
    exit: number | null;
    signal: string | null;
    timed_out: boolean;
    duration_ms: number;
    stdout_tail: string;
    stderr_tail: string;
    error?: string;
  }
>;
export type HookEvent = HookAdded | HookRemoved | HookRan;

declare module '../../core/events.js' {
  interface SporEventMap {
    'hook-added': HookAdded;
    'hook-removed': HookRemoved;
    'hook-ran': HookRan;
  }
}

const ranSummary = (d: HookRan['data']): string => {
  const how =
    d.error !== undefined
      ? `could not start (${d.error})`
      : d.timed_out
        ? 'timed out'
        : d.exit !== null
          ? `exit ${d.exit}`
          : `killed by ${d.signal ?? 'a signal'}`;
  return `${d.hook} on ${d.event_type}: ${how} in ${d.duration_ms}ms`;
};

export const hookEvents = defineEvents<HookEvent>({
  'hook-added': {
    v: 1,
    data: t.isObject({
      id: t.isString(),
      event: t.isString(),
      path: t.isString(),
      args: t.isArray(t.isString()),
      timeout_ms: t.isNullable(t.isNumber()),
    }),
    hookEnv: (d) => ({SPOR_SUBJECT_HOOK: d.id}),
    summary: (d) =>
      `${d.id} on ${d.event} → ${[d.path, ...d.args].join(' ')}${d.timeout_ms === null ? '' : ` (timeout ${formatDuration(d.timeout_ms)})`}`,
  },
  'hook-removed': {
    v: 1,
    data: t.isObject({id: t.isString()}),
    hookEnv: (d) => ({SPOR_SUBJECT_HOOK: d.id}),
    summary: (d) => d.id,
  },
  'hook-ran': {
    v: 1,
    data: t.isObject({
      hook: t.isString(),
      event_id: t.isString(),
      event_type: t.isString(),
      exit: t.isNullable(t.isNumber()),
      signal: t.isNullable(t.isString()),
      timed_out: t.isBoolean(),
      duration_ms: t.isNumber(),
      stdout_tail: t.isString(),
      stderr_tail: t.isString(),
      error: t.isOptional(t.isString()),
    }),
    hookEnv: (d) => ({SPOR_SUBJECT_HOOK: d.hook, SPOR_RAN_EXIT: d.exit === null ? '' : String(d.exit)}),
    summary: ranSummary,
  },
});
