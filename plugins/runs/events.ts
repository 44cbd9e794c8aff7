import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';
import {RUN_CLASSES, type RunClass} from './harness.js';
import type {RunState} from './api.js';

/** What a run is, as recorded when it is about to launch (state `launching`). */
export interface RunStartedData {
  run_id: string;
  name: string;
  node?: string;
  task?: string;
  harness: string;
  profile?: string;
  model?: string;
  /** The directory the harness runs in (the worktree, when there is one). */
  dir: string;
  slug?: string;
  worktree?: string;
  branch?: string;
  /** The commit the worktree's branch was cut from: `spor runs <id>` lists the branch's commits since. */
  base?: string;
}
export type RunStarted = SporEvent<'run-started', 1, RunStartedData>;
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
    /** How many tool calls the harness refused, and which tools (each once), when any was. */
    denied?: number;
    denied_tools?: Array<string>;
  }
>;
export type RunEvent = RunStarted | RunStateChanged | RunEnded;

declare module '../../core/events.js' {
  interface SporEventMap {
    'run-started': RunStarted;
    'run-state-changed': RunStateChanged;
    'run-ended': RunEnded;
  }
}

const STATES = ['launching', 'running', 'done', 'failed', 'vanished', 'failed_launch'] as const;
const isState = t.isEnum(STATES);

const optional = t.isOptional(t.isString());

export const runEvents = defineEvents<RunEvent>({
  'run-started': {
    v: 1,
    data: t.isObject({
      run_id: t.isString(),
      name: t.isString(),
      node: optional,
      task: optional,
      harness: t.isString(),
      profile: optional,
      model: optional,
      dir: t.isString(),
      slug: optional,
      worktree: optional,
      branch: optional,
      base: optional,
    }),
    hookEnv: (d) => ({SPOR_RUN_ID: d.run_id, SPOR_RUN_STATE: 'launching', SPOR_HARNESS: d.harness}),
    summary: (d) =>
      `${d.run_id} ${d.node ?? JSON.stringify((d.task ?? d.name).slice(0, 60))} with ${d.harness} in ${d.dir}`,
  },
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
      class: t.isEnum(RUN_CLASSES),
      denied: t.isOptional(t.isNumber()),
      denied_tools: t.isOptional(t.isArray(t.isString())),
      signal: t.isString(),
      reason: t.isString(),
      exit_code: t.isNullable(t.isNumber()),
      exit_signal: t.isNullable(t.isString()),
      session_id: t.isOptional(t.isString()),
      has_report: t.isBoolean(),
    }),
    hookEnv: (d) => ({
      SPOR_RUN_ID: d.run_id,
      SPOR_RUN_STATE: d.state,
      SPOR_RUN_CLASS: d.class,
      ...(d.denied ? {SPOR_RUN_DENIED: String(d.denied), SPOR_RUN_DENIED_TOOLS: (d.denied_tools ?? []).join(',')} : {}),
    }),
    summary: (d) => `${d.run_id} ${d.state} (${d.class}: ${d.reason})`,
  },
});
