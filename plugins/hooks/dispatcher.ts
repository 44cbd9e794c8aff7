import {
  type EventCatalog,
  inject,
  injectable,
  parseDuration,
  type SporEvent,
  type Host,
  hookDepthOf,
  runHook,
  verdictOf,
  type HookOutcome,
  type SporPaths,
  type Settings,
  ENV,
  EVENT_CATALOG,
  HOST,
  PATHS,
  SETTINGS,
} from '../../core/index.js';
import type {HookRan} from './events.js';
import type {HookEntry} from './projection.js';
import {hooksFor} from './subscriptions.js';
import type {HookDispatcher, HookRun, HookRunSink} from './api.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

const ranData = (hook: HookEntry, event: SporEvent, o: HookOutcome): HookRan['data'] => ({
  hook: hook.id,
  event_id: event.id,
  event_type: event.type,
  exit: o.exit,
  signal: o.signal,
  timed_out: o.timedOut,
  duration_ms: o.durationMs,
  stdout_tail: o.stdoutTail,
  stderr_tail: o.stderrTail,
  ...(o.error === undefined ? {} : {error: o.error}),
});

/** Runs hooks through core/hookRunner.ts; see HookDispatcher. */
@injectable()
export class HookDispatcherService implements HookDispatcher {
  private depthNoted = false;

  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(SETTINGS) private readonly settings: Settings,
    @inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
  ) {}

  async run(event: SporEvent, sink: HookRunSink): Promise<Array<HookRun>> {
    // The common case, no hook for this event, costs one read of the slice and nothing else.
    const {hooks} = await this.host.read(['hooks']);
    const due = hooksFor(hooks, event);
    if (due.length === 0) return [];
    const depth = hookDepthOf(this.env);
    const maxDepth = Number((await this.settings.get('hooks.maxDepth')).value);
    if (depth >= maxDepth) {
      if (!this.depthNoted)
        sink.warn(
          `hooks not run: this spor was started by a hook nested ${depth} deep (hooks.maxDepth is ${maxDepth})`,
        );
      this.depthNoted = true;
      return [];
    }
    const fallback = due.some((h) => h.timeout_ms === null)
      ? (parseDuration(String((await this.settings.get('hooks.timeout')).value)) ?? DEFAULT_TIMEOUT_MS)
      : DEFAULT_TIMEOUT_MS;
    const current = this.catalog.upcast(event);
    const ctx = {sporHome: this.paths.home, env: this.env, depth, eventEnv: this.catalog.hookEnv(current)};
    const runs: Array<HookRun> = [];
    for (const hook of due) {
      const outcome = await runHook(
        {id: hook.id, path: hook.path, args: hook.args, timeoutMs: hook.timeout_ms ?? fallback},
        current,
        ctx,
      );
      const verdict = verdictOf(outcome);
      // A veto on a gating event is the flow's to report (it refuses, naming the hook): said once.
      if (verdict.kind === 'failed' || (verdict.kind === 'veto' && !this.catalog.isGating(event.type))) {
        const why = verdict.kind === 'veto' ? `exited 2: ${verdict.reason}` : verdict.reason;
        sink.warn(`warning: hook ${hook.id} (${hook.path}) on ${event.type} #${event.seq}: ${why}`);
      }
      // Recorded as each run ends, so a later hook that hangs cannot lose an earlier one's record.
      await sink.append([{type: 'hook-ran', data: ranData(hook, current, outcome), causation: event.id}]);
      runs.push({hook, outcome, verdict});
    }
    return runs;
  }
}
