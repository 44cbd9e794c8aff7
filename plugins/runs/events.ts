import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';
import type {RunClass, RunState} from './api.js';

export type RunStateChanged = SporEvent<
  'run-state-changed',
  1,
  {run_id: string; from: RunState; to: RunState; pid?: number; supervisor_pid?: number}
>;
export type RunEnded = SporEvent<
  'run-ended',
  1,
  {
    run_id: string;
    state: RunState;
    class: RunClass;
    signal: string;
    reason: string;
    exit_code: number | null;
    exit_signal: string | null;
    session_id?: string;
    has_report: boolean;
  }
>;
export type RunEvent = RunStateChanged | RunEnded;

declare module '../../core/events.js' {
  interface SporEventMap {
    'run-state-changed': RunStateChanged;
    'run-ended': RunEnded;
  }
}

const STATES = ['launching', 'running', 'done', 'failed', 'vanished', 'failed_launch'] as const;
const CLASSES = ['completed', 'environment', 'launch', 'failed', 'unknown'] as const;
const isState = t.isEnum(STATES);

export const runEvents = defineEvents<RunEvent>({
  'run-state-changed': {
    v: 1,
    data: t.isObject({
      run_id: t.isString(),
      from: isState,
      to: isState,
      pid: t.isOptional(t.isNumber()),
      supervisor_pid: t.isOptional(t.isNumber()),
    }),
    hookEnv: (d) => ({SPOR_RUN_ID: d.run_id, SPOR_RUN_STATE: d.to}),
    summary: (d) => `${d.run_id} ${d.from} → ${d.to}${d.pid ? ` (pid ${d.pid})` : ''}`,
  },
  'run-ended': {
    v: 1,
    data: t.isObject({
      run_id: t.isString(),
      state: isState,
      class: t.isEnum(CLASSES),
      signal: t.isString(),
      reason: t.isString(),
      exit_code: t.isNullable(t.isNumber()),
      exit_signal: t.isNullable(t.isString()),
      session_id: t.isOptional(t.isString()),
      has_report: t.isBoolean(),
    }),
    hookEnv: (d) => ({SPOR_RUN_ID: d.run_id, SPOR_RUN_STATE: d.state, SPOR_RUN_CLASS: d.class}),
    summary: (d) => `${d.run_id} ${d.state} (${d.class}: ${d.reason})`,
  },
});
