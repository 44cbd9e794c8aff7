import {RefusalError, type EventDraft} from '../../core/index.js';
import {probeRan} from '../capabilities/api.js';
import {runStarted, type RunRecord, type RunStartedData, type RunsSlice} from '../runs/api.js';
import {launchEnvKeys, type Plan} from './plan.js';
import type {DispatchStartedData} from './api.js';

/** Another dispatch claimed the node between planning and the decision (`--from-queue` plans again). */
export class ClaimedError extends RefusalError {}

/** What a decision needs besides the plan: the latest runs, read under the lock, and the clock. */
export interface DecisionContext {
  force: boolean;
  now: Date;
  /** Runs of a node in flight here (the runs plugin's judgement over the slice). */
  inFlight: (runs: RunsSlice, nodeId: string, now: Date) => Array<RunRecord>;
}

/** The verdict: the events that claim the run, or why not. */
export type Decision = {ok: true; events: Array<EventDraft>} | {ok: false; refusal: RefusalError};

/** What `guard` judges: known as soon as the target is (the plan checks it then, to fail early). */
export type Guarded = Pick<
  Plan,
  'otherRepository' | 'slug' | 'repoDir' | 'node' | 'resolution' | 'requiresHuman' | 'readiness'
>;

/**
 * The judgements `--print` applies too, in order: a checkout that is evidently another repository
 * (`--force` proceeds), a resolved node (`--force` proceeds), `requires: human` (never). Returns the
 * warnings a forced judgement leaves; throws the first refusal. Pure.
 */
export function guard(plan: Guarded, force: boolean): Array<string> {
  const warnings: Array<string> = [];
  if (plan.otherRepository !== undefined && plan.slug !== undefined) {
    const what = `${plan.repoDir} looks like another repository than '${plan.slug}' (${plan.otherRepository})`;
    if (!force)
      throw new RefusalError(what, {
        code: 'E_REPO_MISMATCH',
        hint: `fix the map with \`spor repos add ${plan.slug} <path>\`, or pass --force to dispatch there anyway`,
      });
    warnings.push(`${what}; dispatching anyway (--force)`);
  }
  if (plan.node && plan.resolution !== undefined) {
    const what = `node '${plan.node.id}' is already resolved (${plan.resolution})`;
    if (!force)
      throw new RefusalError(what, {
        code: 'E_NODE_RESOLVED',
        hint: 'reopen it with `spor set-status <id> open`, or pass --force',
      });
    warnings.push(`${what}; dispatching anyway (--force)`);
  }
  if (plan.node && plan.requiresHuman) {
    throw new RefusalError(
      `node '${plan.node.id}' requires a human: ${plan.readiness?.reasons.join('; ') ?? 'requires: human'}`,
      {
        code: 'E_REQUIRES_HUMAN',
        hint: 'do it yourself, or split out the part an agent can do as its own task (--force does not override this)',
      },
    );
  }
  return warnings;
}

/** The refusals only a real dispatch makes: what this machine cannot run, or may not run yet. */
function launchRefusal(plan: Plan, force: boolean): RefusalError | undefined {
  if (plan.satisfiable === false)
    return new RefusalError(`this machine cannot run profile '${plan.profile}': ${plan.reasons.join('; ')}`, {
      code: 'E_UNSATISFIABLE',
      hint: 'fix what each reason names (see `spor capabilities check <profile>`), or dispatch from a machine that has it',
    });
  if (plan.inFlight.length > 0 && !force)
    return new RefusalError(
      `an agent is already in flight here for '${plan.node?.id}' (run ${plan.inFlight.map((r) => r.runId).join(', ')})`,
      {
        code: 'E_IN_FLIGHT',
        hint: `follow it with \`spor runs log ${plan.inFlight[0]?.runId} --follow\`, stop it with \`spor runs stop\`, or pass --force`,
      },
    );
  if (plan.binary === undefined)
    return new RefusalError(
      `the ${plan.harness} binary '${plan.pointedBinary || plan.adapter.binary}' is not installed on this machine`,
      {
        code: 'E_HARNESS_MISSING',
        hint: `install it, or point \`${plan.adapter.binarySetting}\` at it with \`spor config set ${plan.adapter.binarySetting} <path>\``,
      },
    );
  if (plan.blocked) return new RefusalError(plan.blocked.message, {code: plan.blocked.code, hint: plan.blocked.hint});
  if (plan.worktree?.setup && !plan.worktree.setup.approved)
    return new RefusalError(
      `the worktree setup command from ${plan.worktree.setup.origin ?? 'the repository'} is not approved on this machine`,
      {
        code: 'E_SETUP_UNAPPROVED',
        hint: `review it, then run \`${plan.worktree.setup.approveCommand ?? 'spor worktrees approve'}\``,
      },
    );
  return undefined;
}

/** `dispatch-started` data: what was decided, never the prompt or the environment. */
export function startedData(plan: Plan): DispatchStartedData {
  return {
    run_id: plan.runId,
    name: plan.name,
    mode: plan.mode,
    harness: plan.harness,
    dir: plan.dir,
    repo_dir: plan.repoDir,
    dir_source: plan.dirSource,
    argv: plan.argv,
    posture: plan.posture,
    env_keys: launchEnvKeys(plan),
    ...(plan.node ? {node: plan.node.id} : {}),
    ...(plan.task ? {task: plan.task} : {}),
    ...(plan.profile ? {profile: plan.profile} : {}),
    ...(plan.model ? {model: plan.model} : {}),
    ...(plan.slug ? {slug: plan.slug} : {}),
    ...(plan.worktree ? {worktree: plan.worktree.path, branch: plan.worktree.branch} : {}),
    ...(plan.agent ? {agent: plan.agent} : {}),
    ...(plan.identity ? {identity: plan.identity} : {}),
  };
}

/**
 * Decides a planned dispatch against the runs as they are under the log lock. Pure: the plan's
 * judgements (`guard`, then what this machine cannot run, a run in flight here, a missing binary,
 * a launch the installed harness would refuse, an unapproved setup command), then the claim itself (no run of the node started since the plan)
 * → `dispatch-started` and the runs plugin's `run-started`, in one batch.
 */
export function decide(plan: Plan, state: {runs: RunsSlice}, ctx: DecisionContext): Decision {
  try {
    guard(plan, ctx.force);
  } catch (e) {
    if (e instanceof RefusalError) return {ok: false, refusal: e};
    throw e;
  }
  const refusal = launchRefusal(plan, ctx.force);
  if (refusal) return {ok: false, refusal};
  if (plan.node && !ctx.force && ctx.inFlight(state.runs, plan.node.id, ctx.now).length > 0) {
    return {
      ok: false,
      refusal: new ClaimedError(`another dispatch just started an agent for '${plan.node.id}'`, {
        code: 'E_IN_FLIGHT',
        hint: `see \`spor runs --node ${plan.node.id}\``,
      }),
    };
  }
  const data = startedData(plan);
  // A probe the plan had to make is recorded in the same batch (by the capabilities plugin's draft).
  const probe = plan.probed ? [probeRan(plan.probed)] : [];
  // The base a worktree's branch was cut from goes to the run's record only: `spor runs <id>` lists its commits since.
  const run = {...runFields(data), ...(plan.worktree ? {base: plan.worktree.base} : {})};
  return {ok: true, events: [{type: 'dispatch-started', data}, runStarted(run), ...probe]};
}

// What the runs plugin records of the run: the claim's fields it keeps, under the same names.
const RUN_FIELDS = [
  'name',
  'node',
  'task',
  'harness',
  'profile',
  'model',
  'dir',
  'slug',
  'worktree',
  'branch',
] as const;

function runFields(data: DispatchStartedData): RunStartedData {
  const kept: Partial<Record<(typeof RUN_FIELDS)[number], string>> = {};
  for (const k of RUN_FIELDS) if (data[k] !== undefined) kept[k] = data[k];
  return {...kept, run_id: data.run_id, name: data.name, harness: data.harness, dir: data.dir};
}
