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
import {CAPABILITIES, harnessFacts, type CapabilitiesService, type ProbeResult} from '../capabilities/api.js';
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
import {commitEnvKeys, HARNESSES, RUNS, type PendingLaunch, type RunsService} from '../runs/api.js';
import {WORKTREE, type WorktreeService} from '../worktree/api.js';
import {ClaimedError, decide, guard} from './decide.js';
import {TEAM_STEP, type TeamRun, type TeamStep} from './team.js';
import {supervisorEnv} from './env.js';
import {choosePosture, harnessEnvironment, launchSettingsOf, missingFlag} from './launchParts.js';
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
    @inject(TEAM_STEP) private readonly team: TeamStep,
  ) {}

  async preview(request: DispatchRequest): Promise<Plan> {
    // --print probes no harness for its flags: it judges them from a probe on record only, so
    // looking at plans before the first dispatch stays cheap.
    const plan = await this.plan(request, new Set(), this.runs.newRunId(), {probe: false});
    // A real dispatch refuses these (decide), so only the preview says them as warnings: said once.
    if (plan.binary === undefined)
      plan.warnings.push(
        `the ${plan.harness} binary '${plan.pointedBinary || plan.adapter.binary}' is not on this machine`,
      );
    if (plan.blocked) plan.warnings.push(`a real dispatch refuses: ${plan.blocked.message}`);
    return plan;
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
        // Remote mode: a machine that cannot run the profile names the fleet's machines that can.
        if (e instanceof RefusalError && e.code === 'E_UNSATISFIABLE')
          throw await this.team.withHosts(e, plan.profile, io);
        if (!(e instanceof ClaimedError) || !request.fromQueue || !plan.node || attempt >= QUEUE_RETRIES) throw e;
        exclude.add(plan.node.id);
        continue;
      }
      try {
        return {plan, launched: await this.launch(plan, request, started, io)};
      } catch (e) {
        // Remote mode: a queue pick a teammate holds on the team server is passed over like one in flight here.
        if (!(e instanceof RefusalError) || e.code !== 'E_CLAIMED' || !request.fromQueue || !plan.node) throw e;
        if (attempt >= QUEUE_RETRIES) throw e;
        io.stderr.write(`spor: ${e.message}; trying the next item of the queue\n`);
        exclude.add(plan.node.id);
      }
    }
  }

  /**
   * Everything the dispatch would do, from one read of the slices and one of the settings; writes
   * nothing. It refuses what `guard` refuses as soon as the target is known. `exclude`: nodes a `--from-queue` pick passes over (claimed since an earlier plan).
   */
  async plan(
    request: DispatchRequest,
    exclude: ReadonlySet<string> = new Set(),
    runId: string = this.runs.newRunId(),
    opts: {probe: boolean} = {probe: true},
  ): Promise<Plan> {
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
    if (where.taken)
      warnings.push(
        `this checkout's name '${where.taken.slug}' is mapped to ${where.taken.path}; dispatching here without a slug (map this one with \`spor repos add <slug> ${repoDir}\`)`,
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
    const agent = request.as ?? currentAgent(inputs);
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
    const {posture, source: postureSource} = choosePosture(
      request.posture,
      profile ? {id: profile.id, ...(profile.posture ? {posture: profile.posture} : {})} : undefined,
      settings,
      repoDir,
    );
    const given = launchSettingsOf(settings, (key) => this.registry.settings.has(key), harness);
    const {argv, env: adapterEnv = {}} = adapter.launch({
      binary: binary ?? adapter.binary,
      cwd: dir,
      ...(model ? {model} : {}),
      flags: request.flags,
      reportFile,
      posture,
      name,
      args: given.args,
    });
    const {env, sources: envSources} = harnessEnvironment(this.env, adapter, {
      settings,
      settingEnv: given.env,
      adapterEnv,
    });

    const brief = this.brief(request, target, inputs, warnings);
    const prompt = writePrompt(
      target,
      where,
      dir,
      {brief, graph: view, now: inputs.now, ...(template === undefined ? {} : {template: template.text})},
      warnings,
    );
    if (readiness?.readiness === 'human')
      warnings.push(
        `node '${node?.id}' reads as human work (${readiness.reasons.join('; ')}); dispatching to an agent anyway`,
      );
    const assessment = profile ? await this.capabilities.assess(profile, {settings, state}) : undefined;
    // What the installed CLI accepts, from the probe on record (or the one the assessment made,
    // or, for a real dispatch, one made now): a launch that needs a flag it lacks, or that it would
    // refuse, never starts.
    const onRecord = state.capabilities.probe ? {results: state.capabilities.probe.results} : undefined;
    const found: {results: Array<ProbeResult>; probed?: Array<ProbeResult>} | undefined =
      binary === undefined
        ? undefined
        : assessment?.probed
          ? {results: assessment.probed, probed: assessment.probed}
          : opts.probe
            ? await this.capabilities.findings({settings, state})
            : onRecord;
    const probed = assessment?.probed ?? found?.probed;
    const dies = adapter.preflight?.({argv, env, uid: process.getuid?.()});
    const blocked =
      (found && missingFlag(adapter, argv, harnessFacts(found.results, harness))) ??
      (dies !== undefined
        ? {
            code: 'E_HARNESS_REFUSES',
            message: dies,
            hint:
              posture === 'full'
                ? `dispatch with --posture edit, run spor as another user, or, inside a sandbox you trust, set IS_SANDBOX=1 in harness.${harness}.env`
                : 'change what the launch asks for',
          }
        : undefined);
    const identity = agent ? view.meta(agent)?.identity : undefined;
    const commit = commitIdentity(view, agent, runId, node?.id);
    const team = this.team.describe(request, {node, agent});

    return {
      mode: target.mode,
      runId,
      name,
      ...(node ? {node} : {}),
      ...(target.mode === 'task' ? {task: target.task} : {}),
      ...(template ? {template: template.file} : {}),
      dir,
      repoDir,
      dirSource: where.source,
      ...(where.slug ? {slug: where.slug} : {}),
      slugInferred: where.inferred === true,
      registers: where.slug !== undefined && state.repos.bySlug[where.slug] === undefined,
      ...(otherRepository ? {otherRepository} : {}),
      ...(worktree ? {worktree} : {}),
      harness,
      adapter,
      ...(binary ? {binary} : {}),
      pointedBinary: pointed,
      ...(profile ? {profile: profile.id, profileSource: choice.source} : {}),
      ...(model ? {model} : {}),
      satisfiable: assessment ? assessment.ok : null,
      reasons: assessment?.reasons ?? [],
      ...(probed ? {probed} : {}),
      posture,
      postureSource,
      env,
      envSources,
      ...(blocked ? {blocked} : {}),
      ...(readiness ? {readiness} : {}),
      ...(resolution ? {resolution} : {}),
      requiresHuman,
      inFlight: node ? this.runs.inFlight(state.runs, node.id, inputs.now) : [],
      skipped,
      ...(agent ? {agent} : {}),
      ...(identity ? {identity} : {}),
      ...(team ? {team} : {}),
      commit,
      envAtLaunch: ['SPOR_RUN_ID', ...commitEnvKeys(commit)],
      argv,
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
   * After the claim, in order: the supervisor starts (it boots while the steps run); in remote mode the team step claims the node on the server and mints
   * the run's token (TeamStep); the checkout's registration is recorded; the gating hooks run;
   * the worktree is made and set up; then `go`. A step that fails ends the run `failed_launch`
   * (and gives the team claim back).
   */
  private async launch(plan: Plan, request: DispatchRequest, started: SporEvent, io: DispatchIo): Promise<Launched> {
    const pending = this.runs.begin(plan.runId, supervisorEnv(this.env));
    let team: TeamRun | undefined;
    try {
      const {slug} = plan;
      // After the probe is on record (with the claim): the team step publishes this machine's map from it.
      team = await this.step('claim', () => this.team.prepare(plan, request, io));
      if (plan.registers && slug) await this.step('register', () => this.repos.registerIfNew(slug, plan.repoDir));
      await this.step('vetoed', () => this.gate(started, io));
      if (plan.worktree) await this.step('worktree', () => this.makeWorktree(plan, io));
      const launched = await this.step('supervisor', () => this.go(plan, pending, team));
      if (launched.state !== 'running') await team?.release(io);
      return launched;
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      await team?.release(io);
      await this.runs.recordFailedLaunch(plan.runId, e.signal, e.message);
      throw e.error;
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
      // The dispatcher's messages say what they are (`warning: …`), as a reaction's do.
      warn: (message) => {
        io.stderr.write(`spor: ${message}\n`);
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

  /**
   * Hands the supervisor the run: the adapter's argv in the run's directory, the prompt for stdin;
   * in remote mode the run's token in the harness's environment and the lease companion, over its pipe.
   */
  private go(plan: Plan, pending: PendingLaunch, team: TeamRun | undefined): Promise<Launched> {
    return pending.go({
      runId: plan.runId,
      harness: plan.harness,
      argv: plan.argv,
      env: {...plan.env, ...team?.env},
      ...(team && team.companions.length > 0 ? {companions: team.companions} : {}),
      cwd: plan.dir,
      prompt: plan.prompt,
      reportFile: plan.reportFile,
      commit: plan.commit,
    });
  }
}
