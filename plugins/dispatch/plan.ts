import {readFileSync} from 'node:fs';
import {join, resolve as resolvePath} from 'node:path';
import {RefusalError, UsageError, type SettingsView, type SporStateMap} from '../../core/index.js';
import {AGENT_KEY} from '../agent/api.js';
import {CAPABILITIES_READS, findExecutable, type ProbeResult} from '../capabilities/api.js';
import {kebab, type GraphView, type NodeMeta, type QueueRanker} from '../graph/api.js';
import type {CommitIdentity, HarnessAdapter, Posture, RunRecord, RunsService} from '../runs/api.js';
import {WORKTREE_READS, type WorktreePlan} from '../worktree/api.js';
import {checkoutTop, mismatch} from './checkout.js';
import type {Blocked, PostureSource} from './launchParts.js';
import {backfillTask, defaultPrompt, PLACEHOLDERS, renderTemplate, type PromptParts} from './prompt.js';
import {nodeTarget, targetOf, whereOf, type Target, type Where} from './target.js';
import type {TeamPlan} from './team.js';
import type {DirSource, DispatchRequest} from './api.js';

const WANTED = ['graph', 'runs', 'repos', ...WORKTREE_READS, ...CAPABILITIES_READS] as const;

/** The slices a plan reads, in one read: its own and those of the services it asks. */
export const PLAN_SLICES: ReadonlyArray<(typeof WANTED)[number]> = [...new Set(WANTED)];
export type PlanState = Pick<SporStateMap, (typeof WANTED)[number]>;

/** Everything a dispatch will do, computed without side effects (`--print` shows it). */
export interface Plan {
  mode: Target['mode'];
  runId: string;
  name: string;
  node?: NodeMeta;
  task?: string;
  /** The prompt template file used (absolute), when not the default prompt. */
  template?: string;
  dir: string;
  repoDir: string;
  dirSource: DirSource;
  slug?: string;
  /** The slug was inferred from the checkout (its origin or folder name), not given or mapped. */
  slugInferred: boolean;
  /** The slug→directory this dispatch uses is not in the map yet: a real dispatch registers it. */
  registers: boolean;
  /** The checkout is evidently another repository than the slug names: what it is instead (checkout.ts). */
  otherRepository?: string;
  worktree?: WorktreePlan;
  harness: string;
  adapter: HarnessAdapter;
  /** The binary found on this machine, or undefined when it is missing. */
  binary?: string;
  /** What the harness's binary setting points at ('' when unset: the adapter's name on PATH). */
  pointedBinary: string;
  profile?: string;
  profileSource?: 'flag' | 'assigned' | 'agent';
  model?: string;
  satisfiable: boolean | null;
  reasons: Array<string>;
  /** The probe the plan took, when none was on record (recorded with the claim, only by a real dispatch). */
  probed?: Array<ProbeResult>;
  readiness?: {readiness: string; reasons: Array<string>};
  resolution?: string;
  /** The node says `requires: human`. */
  requiresHuman: boolean;
  inFlight: Array<RunRecord>;
  skipped: Array<string>;
  agent?: string;
  identity?: string;
  /** Remote mode: the server, the node it claims, the agent a run token is minted for (no values). */
  team?: TeamPlan;
  /** What the agent may do, and where that came from (`--posture`, the profile, `dispatch.posture`). */
  posture: Posture;
  postureSource: PostureSource;
  /** Who the run's commits name as author (the agent, for its owner) and their trailers. */
  commit: CommitIdentity;
  argv: Array<string>;
  /** The harness's whole environment (the one filter, `launchParts.ts`); values never shown or logged. */
  env: Record<string, string>;
  /** Per variable of `env`, what let it through (`basic`, the harness, a setting). */
  envSources: Record<string, string>;
  /** Variables the supervisor adds at launch (`SPOR_RUN_ID`, the commit identity's): names only. */
  envAtLaunch: Array<string>;
  /** Why a real dispatch refuses to launch this (a flag the installed CLI lacks, a mode it refuses). */
  blocked?: Blocked;
  reportFile: string;
  prompt: string;
  briefSize: number;
  warnings: Array<string>;
}

/** What a plan is made from: one read of the state and of the settings, and when it is. */
export interface PlanInputs {
  state: PlanState;
  graph: GraphView;
  settings: SettingsView;
  now: Date;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const firstWords = (text: string): string => kebab(text.split(/\s+/).slice(0, 6).join(' ')) || 'task';

/** A prompt template: the file it was read from (absolute) and its text. */
export interface Template {
  file: string;
  text: string;
}

/** Check 1: the template (`--template`, else `dispatch.template`) is readable. */
export function readTemplate(request: DispatchRequest, {settings, cwd}: PlanInputs): Template | undefined {
  const file = request.template ?? (String(settings.get('dispatch.template').value) || undefined);
  if (file === undefined) return undefined;
  const abs = resolvePath(cwd, file);
  try {
    return {file: abs, text: readFileSync(abs, 'utf8')};
  } catch (e) {
    throw new UsageError(
      `cannot read the prompt template ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {code: 'E_TEMPLATE', hint: 'give a readable file with --template <file>, or unset dispatch.template'},
    );
  }
}

/** Check 2: what to work on (a queue pick passes items in flight here), and where. */
export function findTarget(
  request: DispatchRequest,
  exclude: ReadonlySet<string>,
  {state, graph, now, cwd}: PlanInputs,
  ranker: QueueRanker,
  runs: RunsService,
): {target: Target; where: Where; repoDir: string; skipped: Array<string>; otherRepository?: string} {
  const given = [request.target !== undefined, request.node !== undefined, request.fromQueue, request.backfill].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw new UsageError(
      given === 0
        ? 'what should the agent work on?'
        : 'give one target: task text, a node id, --node, --from-queue or --backfill',
      {code: 'E_DISPATCH_TARGET', hint: 'spor dispatch "<task>" | <node-id> | --node <id> | --from-queue | --backfill'},
    );
  }
  const skipped: Array<string> = [];
  let target: Target;
  if (request.backfill) target = {mode: 'backfill'};
  else if (request.node !== undefined) target = nodeTarget(graph, request.node);
  else if (request.target !== undefined) target = targetOf(graph, request.target);
  else {
    const ranked = ranker.rank(graph, {now, limit: 0, ...(request.slug ? {repo: request.slug} : {})});
    let pick: NodeMeta | undefined;
    for (const item of ranked.items) {
      if (item.type === 'question' || item.readiness === 'human' || exclude.has(item.id)) continue;
      if (runs.inFlight(state.runs, item.id, now).length > 0) {
        skipped.push(item.id);
        continue;
      }
      pick = graph.meta(item.id);
      if (pick) break;
    }
    if (!pick) {
      throw new RefusalError(
        `nothing to dispatch from the queue${skipped.length > 0 ? ` (in flight here: ${skipped.join(', ')})` : ''}`,
        {
          code: 'E_QUEUE_EMPTY',
          hint: 'add work with `spor add "<title>" --type task --repo <slug>`, or see what is waiting with `spor next`',
        },
      );
    }
    target = {mode: 'queue', node: pick};
  }
  const where = whereOf(target, {dir: request.dir, slug: request.slug, cwd}, state.repos.bySlug);
  const repoDir = checkoutTop(where.dir) ?? where.dir;
  // Evidence that the directory is another repository than the slug (judged by `guard`).
  const named = where.source === 'slug' || where.source === 'node-repo' || where.source === 'dir';
  const otherRepository = where.slug !== undefined && named ? mismatch(repoDir, where.slug) : undefined;
  return {target, where, repoDir, skipped, ...(otherRepository ? {otherRepository} : {})};
}

/**
 * Check 6: the harness (the profile's, else `dispatch.harness`, else the first one plugins
 * contribute) comes from a plugin, and the pass-through flags given are ones it declares.
 */
export function pickHarness(
  request: DispatchRequest,
  named: string | undefined,
  harnesses: ReadonlyArray<{name: string; flags: ReadonlyArray<{name: string}>}>,
  get: (name: string) => HarnessAdapter | undefined,
): HarnessAdapter {
  const harness = named ?? harnesses[0]?.name ?? '';
  const adapter = get(harness);
  if (!adapter) {
    throw new RefusalError(`no plugin provides the harness '${harness}'`, {
      code: 'E_HARNESS_UNKNOWN',
      hint: `available: ${harnesses.map((h) => h.name).join(', ') || 'none'}; add a harness plugin with \`spor plugins add\`, or pick a profile whose harness is one of these`,
    });
  }
  for (const flag of Object.keys(request.flags)) {
    if (adapter.flags.some((f) => f.name === flag)) continue;
    const owner = harnesses.find((h) => h.flags.some((f) => f.name === flag))?.name;
    throw new UsageError(
      `--${flag} is ${owner ? `a ${owner} flag` : 'not a flag of any harness'}, and this dispatch runs ${harness}`,
      {
        code: 'E_HARNESS_FLAG',
        hint:
          adapter.flags.length > 0
            ? `${harness} takes ${adapter.flags.map((f) => `--${f.name}`).join(', ')}`
            : `drop it, or dispatch with a ${owner ?? 'matching'} profile`,
      },
    );
  }
  return adapter;
}

/** The harness binary on this machine: where its setting points, else its name on PATH. */
export async function findBinary(
  adapter: HarnessAdapter,
  {settings, cwd, env}: PlanInputs,
): Promise<{binary?: string; pointed: string}> {
  const pointed = String(settings.get(adapter.binarySetting).value);
  const binary =
    pointed !== ''
      ? pointed.includes('/')
        ? resolvePath(cwd, pointed)
        : await findExecutable(pointed, env.PATH)
      : await findExecutable(adapter.binary, env.PATH);
  return binary === undefined ? {pointed} : {binary, pointed};
}

/** The run's name: `--name`, else the node id, the backfilled repo, or the task's first words. */
export function runName(request: DispatchRequest, target: Target, where: Where, repoDir: string): string {
  if (request.name !== undefined) return request.name;
  if (target.mode === 'task') return firstWords(target.task);
  if (target.mode === 'backfill') return `backfill-${where.slug ?? kebab(repoDir.split('/').pop() ?? 'repo')}`;
  return target.node.id;
}

/** The prompt: a header, the briefing (a failure is a warning), `# Task` and the instruction, or the template. */
export function writePrompt(
  target: Target,
  where: Where,
  dir: string,
  opts: {brief: string; template?: string; graph: GraphView; now: Date},
  warnings: Array<string>,
): string {
  const node = target.mode === 'node' || target.mode === 'queue' ? target.node : undefined;
  const full = node ? opts.graph.node(node.id) : undefined;
  const parts: PromptParts = {
    date: opts.now.toISOString().slice(0, 10),
    slug: where.slug,
    dir,
    brief: opts.brief,
    task: node
      ? `Work on ${node.id} — ${node.title}.`
      : target.mode === 'backfill'
        ? backfillTask(where.slug)
        : (target as {task: string}).task,
    ...(node
      ? {
          node: {
            id: node.id,
            title: node.title,
            type: node.type,
            ...(node.status ? {status: node.status} : {}),
            ...(full?.summary ? {summary: full.summary} : {}),
          },
        }
      : {}),
  };
  if (opts.template === undefined) return defaultPrompt(parts);
  const rendered = renderTemplate(opts.template, parts);
  if (rendered.unknown.length > 0)
    warnings.push(
      `unknown template placeholder(s) ${rendered.unknown.map((u) => `{{${u}}}`).join(', ')} left empty; available: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`,
    );
  return rendered.prompt;
}

/** The agent's run directory's report file. */
export const reportFileOf = (runs: RunsService, runId: string): string => join(runs.runDir(runId), 'report');

/**
 * Who commits made in the run say made them: the agent as author and committer, named with its
 * owner (`agent-jo-laptop (for Jo)`, at `<agent-id>@spor.invalid`: an address that is never
 * anyone's); and the `Spor-Run` / `Spor-Node` trailers that tie each commit to its run and node.
 * Without an agent the user's own git identity stands; the trailers are added all the same.
 */
export const commitIdentity = (
  graph: GraphView,
  agent: string | undefined,
  runId: string,
  nodeId: string | undefined,
): CommitIdentity => {
  const owner = agent ? graph.outbound(agent, 'owned-by')[0]?.to : undefined;
  const ownerName = owner ? (graph.meta(owner)?.title ?? owner) : undefined;
  return {
    ...(agent
      ? {author: {name: ownerName ? `${agent} (for ${ownerName})` : agent, email: `${agent}@spor.invalid`}}
      : {}),
    trailers: [['Spor-Run', runId], ...(nodeId ? ([['Spor-Node', nodeId]] as Array<[string, string]>) : [])],
  };
};

/** The agent this machine dispatches as (`agent.current`), if any. */
export const currentAgent = ({settings}: PlanInputs): string | undefined =>
  String(settings.get(AGENT_KEY).value) || undefined;

/** Every variable name the harness's environment will hold: the planned ones and those added at launch. */
export const launchEnvKeys = (p: Pick<Plan, 'env' | 'envAtLaunch'>): Array<string> =>
  [...new Set([...Object.keys(p.env), ...p.envAtLaunch])].sort();
