import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';
import type {DispatchStartedData} from './api.js';

export type DispatchStarted = SporEvent<'dispatch-started', 1, DispatchStartedData>;

declare module '../../core/events.js' {
  interface SporEventMap {
    'dispatch-started': DispatchStarted;
  }
}

const optional = t.isOptional(t.isString());

export const dispatchEvents = defineEvents<DispatchStarted>({
  'dispatch-started': {
    v: 1,
    // Its hooks run before the agent launches; one that exits 2 vetoes the dispatch.
    gating: true,
    data: t.isObject({
      run_id: t.isString(),
      name: t.isString(),
      node: optional,
      task: optional,
      mode: t.isEnum(['task', 'node', 'queue', 'backfill'] as const),
      harness: t.isString(),
      profile: optional,
      model: optional,
      dir: t.isString(),
      repo_dir: t.isString(),
      dir_source: t.isEnum(['dir', 'slug', 'node-repo', 'cwd'] as const),
      slug: optional,
      worktree: optional,
      branch: optional,
      agent: optional,
      identity: optional,
      argv: t.isArray(t.isString()),
      posture: optional,
      env_keys: t.isOptional(t.isArray(t.isString())),
    }),
    hookEnv: (d) => ({
      SPOR_RUN_ID: d.run_id,
      SPOR_DISPATCH_NODE: d.node ?? '',
      SPOR_DISPATCH_SLUG: d.slug ?? '',
      SPOR_DISPATCH_DIR: d.dir,
      SPOR_HARNESS: d.harness,
      SPOR_DISPATCH_POSTURE: d.posture ?? '',
    }),
    summary: (d) =>
      `${d.run_id} ${d.mode === 'backfill' ? `backfill survey${d.slug ? ` of ${d.slug}` : ''}` : (d.node ?? JSON.stringify((d.task ?? '').slice(0, 60)))} with ${d.harness} in ${d.dir}`,
  },
});
