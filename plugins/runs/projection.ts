import type {SporEvent, Projection} from '../../core/index.js';
import type {RunEvent, RunStartedData} from './events.js';
import {ENDED_RUN_STATES, type RunRecord, type RunsSlice} from './api.js';

declare module '../../core/plugin.js' {
  interface SporStateMap {
    runs: RunsSlice;
  }
}

/**
 * Run records: created by `run-started`, moved by `run-state-changed`, closed by `run-ended`. An
 * ended record is never changed again. Logs written before `run-started` existed have only the
 * dispatch plugin's `dispatch-started`, which carries the same fields (read by type name, for those
 * runs only: a run that has its record already is left alone).
 */
export const runsProjection: Projection<RunsSlice> = {
  name: 'runs',
  // 2: run-started's base reaches a record dispatch-started created.
  version: 2,
  on: ['run-started', 'dispatch-started', 'run-state-changed', 'run-ended'],
  initial: () => ({byId: {}}),
  apply: (state, event: SporEvent) => {
    if (event.type === 'run-started' || event.type === 'dispatch-started') {
      const d = event.data as RunStartedData;
      // dispatch-started comes first in the claim's batch; run-started, this plugin's own, adds
      // what only it carries (the worktree's base).
      const known = state.byId[d.run_id];
      if (known) {
        if (event.type === 'run-started' && d.base) known.base = d.base;
        return state;
      }
      const record: RunRecord = {
        runId: d.run_id,
        name: d.name,
        harness: d.harness,
        dir: d.dir,
        state: 'launching',
        startedAt: event.at,
        ...(d.node ? {nodeId: d.node} : {}),
        ...(d.task ? {task: d.task} : {}),
        ...(d.profile ? {profile: d.profile} : {}),
        ...(d.model ? {model: d.model} : {}),
        ...(d.slug ? {slug: d.slug} : {}),
        ...(d.worktree ? {worktree: d.worktree} : {}),
        ...(d.branch ? {branch: d.branch} : {}),
        ...(d.base ? {base: d.base} : {}),
      };
      state.byId[d.run_id] = record;
      return state;
    }
    const e = event as RunEvent;
    if (e.type !== 'run-state-changed' && e.type !== 'run-ended') return state;
    const run = state.byId[e.data.run_id];
    if (!run || ENDED_RUN_STATES.has(run.state)) return state;
    if (e.type === 'run-state-changed') {
      run.state = e.data.to;
      if (e.data.pid !== undefined) run.harnessPid = e.data.pid;
      if (e.data.supervisor_pid !== undefined) run.supervisorPid = e.data.supervisor_pid;
      return state;
    }
    Object.assign(
      run,
      {
        state: e.data.state,
        class: e.data.class,
        signal: e.data.signal,
        reason: e.data.reason,
        exitCode: e.data.exit_code,
        endedAt: e.at,
      },
      e.data.session_id ? {sessionId: e.data.session_id} : {},
    );
    return state;
  },
};
