import {
  inject,
  injectable,
  type Clock,
  type Host,
  type PluginRegistry,
  type Settings,
  type SporEvent,
  RefusalError,
  CLOCK,
  CWD,
  ENV,
  HOST,
  PLUGIN_REGISTRY,
  SETTINGS,
} from '../../core/index.js';
import {CAPABILITIES, type CapabilitiesService} from '../capabilities/api.js';
import {
  BRIEF_COMPILER,
  GRAPH_READER,
  QUEUE_RANKER,
  type BriefCompiler,
  type GraphReader,
  type QueueRanker,
} from '../graph/api.js';
import {HOOK_DISPATCHER, type HookDispatcher} from '../hooks/api.js';
import {REPOS, type ReposService} from '../repos/api.js';
import {HARNESSES, RUNS, type PendingLaunch, type RunsService} from '../runs/api.js';
import {WORKTREE, type WorktreeService} from '../worktree/api.js';
import {ClaimedError, decide, guard} from './decide.js';
import {harnessEnv} from './env.js';
import {chooseProfile} from './profile.js';
import {
  commitIdentity,
  currentAgent,
  findBinary,
  findTarget,
  pickHarness,
  PLAN_SLICES,
  readTemplate,
  reportFileOf,
  runName,
  writePrompt,
  type Plan,
  type PlanInputs,
} from './plan.js';
import type {Target} from './target.js';
import type {Dispatcher, DispatchIo, DispatchRequest, Launched} from './api.js';

// Concurrent --from-queue dispatches may claim the item this one planned; each retry plans past it.
const QUEUE_RETRIES = 20;

/** A step after the claim that failed: the run ends `failed_launch` with this signal. */
class StepFailed extends Error {
  constructor(
    readonly signal: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * DISPATCH, top to bottom: `plan` reads one snapshot (the slices and one settings view) and writes
 * nothing; `decide` (decide.ts, pure) judges it under the log lock and claims the run; then each
 * step calls the plugin that owns what it writes; the supervisor starts after the claim.
 */
@injectable()
export class DispatchService implements Dispatcher {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(SETTINGS) private readonly settings: Settings,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CWD) private readonly cwd: string,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
    @inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @inject(GRAPH_READER) private readonly graph: GraphReader,
    @inject(QUEUE_RANKER) private readonly ranker: QueueRanker,
    @inject(BRIEF_COMPILER) private readonly briefs: BriefCompiler,
    @inject(CAPABILITIES) private readonly capabilities: CapabilitiesService,
    @inject(WORKTREE) private readonly worktree: WorktreeService,
    @inject(RUNS) private readonly runs: RunsService,
    @inject(REPOS) private readonly repos: ReposService,
    @inject(HOOK_DISPATCHER) private readonly hooks: HookDispatcher,
  ) {}

  preview(request: DispatchRequest): Promise<Plan> {
    return this.plan(request);
  }

  async run(request: DispatchRequest, io: DispatchIo): Promise<{plan: Plan; launched: Launched}> {
    const exclude = new Set<string>();
    for (let attempt = 0; ; attempt += 1) {
      const plan = await this.plan(request, exclude);
      for (const w of plan.warnings) io.stderr.write(`spor: warning: ${w}\n`);
      let started: SporEvent;
      try {
        started = await this.claim(plan, request.force);
      } catch (e) {
        if (!(e instanceof ClaimedError) || !request.fromQueue || !plan.node || attempt >= QUEUE_RETRIES) throw e;
        exclude.add(plan.node.id);
        continue;
      }
      return {plan, launched: await this.launch(plan, started, io)};
    }
  }

  /**
   * Everything the dispatch would do, from one read of the slices and one of the settings; writes
   * nothing. It refuses what `guard` refuses as soon as the target is known. `exclude`: nodes a `--from-queue` pick passes over (claimed since an earlier plan).
   */
  async plan(request: DispatchRequest, exclude: ReadonlySet<string> = new Set()): Promise<Plan> {
    const [settings, state] = await Promise.all([this.settings.view(), this.host.read(PLAN_SLICES)]);
    const inputs: PlanInputs = {
      state,
      graph: this.graph.viewOf(state.graph),
      settings,
      now: this.clock.now(),
      cwd: this.cwd,
      env: this.env,
    };
    const warnings: Array<string> = [];
    const template = readTemplate(request, inputs);
    const {target, where, repoDir, skipped, otherRepository} = findTarget(
      request,
      exclude,
      inputs,
      this.ranker,
      this.runs,
    );
    const node = target.mode === 'node' || target.mode === 'queue' ? target.node : undefined;
    const view = inputs.graph;
    const readiness = node ? view.readiness(node.id) : undefined;
    const r = node ? view.resolution(node.id) : undefined;
    const resolution = r ? (r.by === 'status' ? `status ${r.status}` : `${r.type} from ${r.from}`) : undefined;
    const requiresHuman = node?.requires?.includes('human') === true;
    // The judgements the target settles are made now, before anything costly (decide makes them again).
    warnings.push(
      ...guard(
        {
          otherRepository,
          ...(where.slug ? {slug: where.slug} : {}),
          repoDir,
          node,
          resolution,
          requiresHuman,
          readiness,
        },
        request.force,
      ),
    );
    const agent = currentAgent(inputs);
    const choice = chooseProfile(view, {flag: request.profile, nodeId: node?.id, agent});
    warnings.push(...choice.warnings);
    const profile = choice.profile;

    const named = profile?.harness ?? (String(settings.get('dispatch.harness', {repoDir}).value) || undefined);
    const adapter = pickHarness(
      request,
      named,
      HARNESSES.entries(this.registry).map((h) => ({
        name: h.data.name,
        flags: Array.isArray(h.data.flags) ? (h.data.flags as Array<{name: string}>) : [],
      })),
      (name) => HARNESSES.get(this.registry, name),
    );
    const harness = adapter.name;
    const {binary, pointed} = await findBinary(adapter, inputs);

    const runId = this.runs.newRunId();
    const name = runName(request, target, where, repoDir);
    const worktreeOn = target.mode !== 'backfill' && (await this.worktree.enabled(repoDir, request.worktree, settings));
    const worktree = worktreeOn
      ? await this.worktree.plan(
          repoDir,
          {
            name,
            ...(node ? {nodeId: node.id} : {}),
            ...(where.slug ? {slug: where.slug} : {}),
            ...(request.base !== undefined ? {base: request.base} : {}),
          },
          {settings, state},
        )
      : undefined;
    const dir = worktree?.path ?? where.dir;
    const reportFile = reportFileOf(this.runs, runId);
    const model = request.model ?? profile?.model;
    const {argv, env: extraEnv = {}} = adapter.launch({
      binary: binary ?? adapter.binary,
      cwd: dir,
      ...(model ? {model} : {}),
      flags: request.flags,
      reportFile,
    });

    const brief = this.brief(request, target, inputs, warnings);
    const prompt = writePrompt(
      target,
      where,
      dir,
      {brief, graph: view, ...(template === undefined ? {} : {template})},
      warnings,
    );
    if (readiness?.readiness === 'human')
      warnings.push(
        `node '${node?.id}' reads as human work (${readiness.reasons.join('; ')}); dispatching to an agent anyway`,
      );
    const assessment = profile ? await this.capabilities.assess(profile, {settings, state}) : undefined;
    if (binary === undefined)
      warnings.push(`the ${harness} binary '${pointed || adapter.binary}' is not on this machine`);
    const identity = agent ? view.meta(agent)?.identity : undefined;

    return {
      mode: target.mode,
      runId,
      name,
      ...(node ? {node} : {}),
      ...(target.mode === 'task' ? {task: target.task} : {}),
      dir,
      repoDir,
      dirSource: where.source,
      ...(where.slug ? {slug: where.slug} : {}),
      registers: where.slug !== undefined && state.repos.bySlug[where.slug] === undefined,
      ...(otherRepository ? {otherRepository} : {}),
      ...(worktree ? {worktree} : {}),
      harness,
      adapter,
      ...(binary ? {binary} : {}),
      ...(profile ? {profile: profile.id, profileSource: choice.source} : {}),
      ...(model ? {model} : {}),
      satisfiable: assessment ? assessment.ok : null,
      reasons: assessment?.reasons ?? [],
      ...(assessment?.probed ? {probed: assessment.probed} : {}),
      ...(readiness ? {readiness} : {}),
      ...(resolution ? {resolution} : {}),
      requiresHuman,
      inFlight: node ? this.runs.inFlight(state.runs, node.id, inputs.now) : [],
      skipped,
      ...(agent ? {agent} : {}),
      ...(identity ? {identity} : {}),
      commit: commitIdentity(view, agent, runId, node?.id),
      argv,
      extraEnv,
      reportFile,
      prompt,
      briefSize: Buffer.byteLength(brief),
      warnings,
    };
  }

  // The briefing; one that fails is a warning, never a refusal.
  private brief(request: DispatchRequest, target: Target, {graph, now}: PlanInputs, warnings: Array<string>): string {
    if (request.noBrief || target.mode === 'backfill') return '';
    const node = target.mode === 'node' || target.mode === 'queue' ? target.node : undefined;
    try {
      const compiled = this.briefs.compile(graph, node ? {id: node.id} : {query: (target as {task: string}).task}, {
        full: request.full,
        now,
      });
      // A free-text query that matched nothing adds nothing worth reading to the prompt.
      return node || Object.values(compiled.sections).some((ids) => ids.length > 0) ? compiled.text : '';
    } catch (e) {
      warnings.push(`no briefing: ${e instanceof Error ? e.message : String(e)}`);
      return '';
    }
  }

  /** The decision under the log lock: the claim's events appended, or the refusal thrown. */
  private async claim(plan: Plan, force: boolean): Promise<SporEvent> {
    const [started] = await this.host.handle(['runs'], (state) => {
      const decision = decide(plan, state, {
        force,
        now: this.clock.now(),
        inFlight: this.runs.inFlight.bind(this.runs),
      });
      if (!decision.ok) throw decision.refusal;
      return decision.events;
    });
    return started as SporEvent;
  }

  /**
   * After the claim, in order: the supervisor starts (it boots while the steps run); the probe the
   * plan made and the checkout's registration are recorded by their plugins; the gating hooks run;
   * the worktree is made and set up; then `go`. A step that fails ends the run `failed_launch`.
   */
  private async launch(plan: Plan, started: SporEvent, io: DispatchIo): Promise<Launched> {
    const pending = this.runs.begin(plan.runId, harnessEnv(this.env));
    try {
      const {probed, slug} = plan;
      if (probed) await this.step('probe', () => this.capabilities.record(probed));
      if (plan.registers && slug) await this.step('register', () => this.repos.registerIfNew(slug, plan.repoDir));
      await this.step('vetoed', () => this.gate(started, io));
      if (plan.worktree) await this.step('worktree', () => this.makeWorktree(plan, io));
      return await this.step('supervisor', () => this.go(plan, pending));
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      await this.runs.recordFailedLaunch(plan.runId, e.signal, e.message);
      throw e.error;
    } finally {
      pending.abort();
    }
  }

  private async step<T>(signal: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw new StepFailed(signal, e);
    }
  }

  /**
   * Runs the hook scripts subscribed to `dispatch-started` (a gating event: the hooks plugin's
   * reaction leaves them to this flow); one that exits 2 vetoes the dispatch.
   */
  private async gate(started: SporEvent, io: DispatchIo): Promise<void> {
    const runs = await this.hooks.run(started, {
      append: (drafts) => this.host.append(drafts),
      warn: (message) => {
        io.stderr.write(`spor: warning: ${message}\n`);
      },
    });
    const veto = runs.find((r) => r.verdict.kind === 'veto');
    if (veto?.verdict.kind !== 'veto') return;
    const reason = `hook ${veto.hook.id} (${veto.hook.path}) vetoed the dispatch: ${veto.verdict.reason}`;
    throw new RefusalError(reason, {code: 'E_DISPATCH_VETOED', hint: 'see `spor hooks list`; nothing was launched'});
  }

  private async makeWorktree(plan: Plan, io: DispatchIo): Promise<void> {
    const created = await this.worktree.create(plan.worktree as NonNullable<Plan['worktree']>);
    await this.worktree.runSetup(created, {
      stdout: io.stdout,
      stderr: io.stderr,
      ...(plan.slug ? {slug: plan.slug} : {}),
      ...(plan.node ? {nodeId: plan.node.id} : {}),
    });
  }

  /** Hands the supervisor the run: the adapter's argv in the run's directory, the prompt for stdin. */
  private go(plan: Plan, pending: PendingLaunch): Promise<Launched> {
    return pending.go({
      runId: plan.runId,
      harness: plan.harness,
      argv: plan.argv,
      env: plan.extraEnv,
      cwd: plan.dir,
      prompt: plan.prompt,
      reportFile: plan.reportFile,
      commit: plan.commit,
    });
  }
}
