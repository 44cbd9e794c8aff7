import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {
  inject,
  injectable,
  type Host,
  type SporPaths,
  type PluginRegistry,
  type Settings,
  type Clock,
  CLOCK,
  ENV,
  HOST,
  PATHS,
  PLUGIN_REGISTRY,
  SETTINGS,
} from '../../core/index.js';
import type {RunEnded} from './events.js';
import {beginRun, launchRun, sporCommand} from './launch.js';
import {newRunId, runFiles} from './paths.js';
import {endHarness, isHarnessAlive} from './liveness.js';
import {isInFlight, orphanOf, reconcile} from './reconcile.js';
import {
  ENDED_RUN_STATES,
  HARNESSES,
  type LaunchResult,
  type LaunchSpec,
  type PendingLaunch,
  type RunRecord,
  type RunsService,
  type RunsSlice,
} from './api.js';

const DAY_MS = 86_400_000;

/** Days an ended run stays listed (old name `dispatch.runRetentionDays`). */
export const RETENTION_KEY = 'runs.retentionDays';
/** The longest a run may take; the supervisor stops it after that (class `timeout`). */
export const TIMEOUT_KEY = 'runs.timeout';
/** The longest a run may go without output; the supervisor stops it after that (class `stalled`). */
export const STALL_KEY = 'runs.stallTimeout';

/** RUNS: launches supervised runs and reads their records, reconciled first. */
@injectable()
export class RunsServiceImpl implements RunsService {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(PATHS) private readonly paths: SporPaths,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(SETTINGS) private readonly settings: Settings,
    @inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
  ) {}

  get runsDir(): string {
    return join(this.paths.home, 'runs');
  }

  newRunId(): string {
    return newRunId(this.clock.now());
  }

  runDir(runId: string): string {
    return runFiles(this.runsDir, runId).dir;
  }

  begin(runId: string, env: Record<string, string>): PendingLaunch {
    return beginRun(this.runsDir, runId, env, sporCommand(this.env));
  }

  launch(spec: LaunchSpec): Promise<LaunchResult> {
    return launchRun(this.runsDir, spec, sporCommand(this.env));
  }

  async recordFailedLaunch(runId: string, signal: string, reason: string): Promise<void> {
    const data: RunEnded['data'] = {
      run_id: runId,
      state: 'failed_launch',
      class: 'launch',
      signal,
      reason,
      exit_code: null,
      exit_signal: null,
      has_report: false,
    };
    await this.host.append([{type: 'run-ended', data}]);
  }

  inFlight(runs: RunsSlice, nodeId: string, now: Date): Array<RunRecord> {
    return Object.values(runs.byId).filter((r) => r.nodeId === nodeId && isInFlight(r, now, this.runsDir));
  }

  async list(opts: {nodeId?: string; limit?: number} = {}): Promise<Array<RunRecord>> {
    const now = this.clock.now();
    const adapterOf = (name: string) => HARNESSES.get(this.registry, name);
    const {runs: before} = await this.host.read(['runs']);
    // An orphan's harness (its supervisor died) is ended first, outside the lock: no run ends
    // while something of it still works. One that cannot be ended stays in flight.
    for (const run of Object.values(before.byId)) {
      const orphan = orphanOf(run, now, this.runsDir);
      if (orphan?.harness !== undefined && isHarnessAlive(orphan.harness, run.runId))
        await endHarness(orphan.harness, run.runId);
    }
    if (reconcile(before, now, this.runsDir, adapterOf).length > 0) {
      await this.host.handle(['runs'], ({runs}) => reconcile(runs, now, this.runsDir, adapterOf));
    }
    const {runs} = await this.host.read(['runs']);
    const keepDays = Number((await this.settings.get(RETENTION_KEY)).value);
    const cutoff = now.getTime() - keepDays * DAY_MS;
    // Ended runs past retention age out: hidden here, their files removed. Their events stay in the log.
    const expired = (r: RunRecord): boolean =>
      ENDED_RUN_STATES.has(r.state) && r.endedAt !== undefined && Date.parse(r.endedAt) < cutoff;
    const shown: Array<RunRecord> = [];
    for (const r of Object.values(runs.byId)) {
      if (expired(r)) rmSync(this.runDir(r.runId), {recursive: true, force: true});
      else if (opts.nodeId === undefined || r.nodeId === opts.nodeId) shown.push(r);
    }
    shown.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    return opts.limit !== undefined && opts.limit > 0 ? shown.slice(0, opts.limit) : shown;
  }
}
