import {readFileSync} from 'node:fs';
import {join, resolve as resolvePath} from 'node:path';
import {
  resolve,
  type Container,
  RefusalError,
  UsageError,
  CLOCK,
  CWD,
  ENV,
  HOST,
  PLUGIN_REGISTRY,
  SETTINGS,
} from '../../core/index.js';
import {AGENT_KEY} from '../agent/api.js';
import {CAPABILITIES, findExecutable} from '../capabilities/api.js';
import {BRIEF_COMPILER, GRAPH_READER, QUEUE_RANKER, kebab, type GraphView, type NodeMeta} from '../graph/api.js';
import {HARNESSES, RUNS, type HarnessAdapter, type RunRecord} from '../runs/api.js';
import {WORKTREE, type WorktreePlan} from '../worktree/api.js';
import {checkoutTop, mismatch} from './checkout.js';
import {chooseProfile} from './profile.js';
import {backfillTask, defaultPrompt, PLACEHOLDERS, renderTemplate, type PromptParts} from './prompt.js';
import {nodeTarget, targetOf, whereOf, type Target} from './target.js';
import type {DirSource} from './api.js';

/** What the user asked for, as flags. */
export interface DispatchRequest {
  target?: string;
  node?: string;
  fromQueue: boolean;
  backfill: boolean;
  slug?: string;
  dir?: string;
  worktree?: boolean;
  template?: string;
  full: boolean;
  noBrief: boolean;
  profile?: string;
  model?: string;
  name?: string;
  force: boolean;
  /** Harness-specific flags given (`{'permission-mode': 'plan'}`). */
  flags: Record<string, string>;
  /** --print: compute everything, write nothing. */
  print: boolean;
  /** Nodes --from-queue must pass over (claimed by a concurrent dispatch since this one planned). */
  exclude?: ReadonlySet<string>;
  /** The run id to use (a real dispatch starts its supervisor under it before planning). */
  runId?: string;
}

/** Everything a dispatch will do, computed without side effects (`--print` shows it). */
export interface Plan {
  mode: Target['mode'];
  runId: string;
  name: string;
  node?: NodeMeta;
  task?: string;
  dir: string;
  repoDir: string;
  dirSource: DirSource;
  slug?: string;
  /** The slug→directory this dispatch uses is not in the map yet: a real dispatch registers it. */
  registers: boolean;
  worktree?: WorktreePlan;
  harness: string;
  adapter: HarnessAdapter;
  /** The binary found on this machine, or undefined when it is missing. */
  binary?: string;
  profile?: string;
  profileSource?: 'flag' | 'assigned' | 'agent';
  model?: string;
  satisfiable: boolean | null;
  reasons: Array<string>;
  readiness?: {readiness: string; reasons: Array<string>};
  resolution?: string;
  inFlight: Array<RunRecord>;
  skipped: Array<string>;
  agent?: string;
  identity?: string;
  argv: Array<string>;
  /** Environment the adapter adds for the harness (on top of the user's, filtered). */
  extraEnv: Record<string, string>;
  reportFile: string;
  prompt: string;
  briefSize: number;
  warnings: Array<string>;
}

const firstWords = (text: string): string => kebab(text.split(/\s+/).slice(0, 6).join(' ')) || 'task';

const readTemplate = (file: string, cwd: string): string => {
  try {
    return readFileSync(resolvePath(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the prompt template ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {code: 'E_TEMPLATE', hint: 'give a readable file with --template <file>, or unset dispatch.template'},
    );
  }
};

const HARNESS_FLAGS: Record<string, string> = {
  'permission-mode': '--permission-mode',
  agent: '--agent',
  sandbox: '--sandbox',
  'approval-policy': '--approval-policy',
};

/** Computes the plan, running checks 1–6 of the issue in order (7+ are the caller's: they depend on --print). */
export const planDispatch = async (c: Container, req: DispatchRequest): Promise<Plan> => {
  const settings = resolve(c, SETTINGS);
  const env = resolve(c, ENV);
  const cwd = resolve(c, CWD);
  const now = resolve(c, CLOCK).now();
  const warnings: Array<string> = [];

  // 1. The template is readable.
  const templateFile = req.template ?? (String((await settings.get('dispatch.template')).value) || undefined);
  const template = templateFile === undefined ? undefined : readTemplate(templateFile, cwd);

  // 2. Target and directory.
  const given = [req.target !== undefined, req.node !== undefined, req.fromQueue, req.backfill].filter(Boolean).length;
  if (given !== 1) {
    throw new UsageError(
      given === 0
        ? 'what should the agent work on?'
        : 'give one target: task text, a node id, --node, --from-queue or --backfill',
      {code: 'E_DISPATCH_TARGET', hint: 'spor dispatch "<task>" | <node-id> | --node <id> | --from-queue | --backfill'},
    );
  }
  const view: GraphView = await resolve(c, GRAPH_READER).view();
  const {repos, runs} = await resolve(c, HOST).read(['repos', 'runs']);
  const runsService = resolve(c, RUNS);
  const skipped: Array<string> = [];
  let target: Target;
  if (req.backfill) target = {mode: 'backfill'};
  else if (req.node !== undefined) target = nodeTarget(view, req.node);
  else if (req.target !== undefined) target = targetOf(view, req.target);
  else {
    const ranked = resolve(c, QUEUE_RANKER).rank(view, {now, limit: 0, ...(req.slug ? {repo: req.slug} : {})});
    let pick: NodeMeta | undefined;
    for (const item of ranked.items) {
      if (item.type === 'question' || item.readiness === 'human' || req.exclude?.has(item.id)) continue;
      if (runsService.inFlight(runs, item.id, now).length > 0) {
        skipped.push(item.id);
        continue;
      }
      pick = view.meta(item.id);
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
  const node = target.mode === 'node' || target.mode === 'queue' ? target.node : undefined;
  const where = whereOf(target, {dir: req.dir, slug: req.slug, cwd}, repos.bySlug);
  const repoDir = checkoutTop(where.dir) ?? where.dir;
  if (where.slug !== undefined && (where.source === 'slug' || where.source === 'node-repo' || where.source === 'dir')) {
    const other = mismatch(repoDir, where.slug);
    if (other !== undefined) {
      const what = `${repoDir} looks like another repository ('${other}' by its origin) than '${where.slug}'`;
      if (!req.force)
        throw new RefusalError(what, {
          code: 'E_REPO_MISMATCH',
          hint: `fix the map with \`spor repos add ${where.slug} <path>\`, or pass --force to dispatch there anyway`,
        });
      warnings.push(`${what}; dispatching anyway (--force)`);
    }
  }

  // 3. A resolved node is refused unless forced.
  let resolution: string | undefined;
  if (node) {
    const r = view.resolution(node.id);
    if (r) {
      resolution = r.by === 'status' ? `status ${r.status}` : `${r.type} from ${r.from}`;
      const what = `node '${node.id}' is already resolved (${resolution})`;
      if (!req.force)
        throw new RefusalError(what, {
          code: 'E_NODE_RESOLVED',
          hint: 'reopen it with `spor set-status <id> open`, or pass --force',
        });
      warnings.push(`${what}; dispatching anyway (--force)`);
    }
  }

  // 4. `requires: human` is never dispatched to an agent.
  const readiness = node ? view.readiness(node.id) : undefined;
  if (node?.requires?.includes('human')) {
    throw new RefusalError(
      `node '${node.id}' requires a human: ${readiness?.reasons.join('; ') ?? 'requires: human'}`,
      {
        code: 'E_REQUIRES_HUMAN',
        hint: 'do it yourself, or split out the part an agent can do as its own task (--force does not override this)',
      },
    );
  }

  // 5. The profile.
  const agent = String((await settings.get(AGENT_KEY)).value) || undefined;
  const choice = chooseProfile(view, {flag: req.profile, nodeId: node?.id, agent});
  warnings.push(...choice.warnings);
  const profile = choice.profile;

  // 6. The harness, from a plugin, and flags that fit it.
  const harness = profile?.harness ?? String((await settings.get('dispatch.harness', {repoDir})).value);
  const registry = resolve(c, PLUGIN_REGISTRY);
  const adapter = HARNESSES.get(registry, harness);
  if (!adapter) {
    throw new RefusalError(`no plugin provides the harness '${harness}'`, {
      code: 'E_HARNESS_UNKNOWN',
      hint: `available: ${
        HARNESSES.entries(registry)
          .map((h) => h.data.name)
          .join(', ') || 'none'
      }; add a harness plugin with \`spor plugins add\`, or pick a profile whose harness is one of these`,
    });
  }
  for (const flag of Object.keys(req.flags)) {
    if (!adapter.flags.some((f) => f.name === flag)) {
      const owner = HARNESSES.items(registry).find((h) => h.flags.some((f) => f.name === flag))?.name;
      throw new UsageError(
        `${HARNESS_FLAGS[flag] ?? `--${flag}`} is ${owner ? `a ${owner} flag` : 'not a flag of any harness'}, and this dispatch runs ${harness}`,
        {
          code: 'E_HARNESS_FLAG',
          hint:
            adapter.flags.length > 0
              ? `${harness} takes ${adapter.flags.map((f) => HARNESS_FLAGS[f.name] ?? `--${f.name}`).join(', ')}`
              : `drop it, or dispatch with a ${owner ?? 'matching'} profile`,
        },
      );
    }
  }
  const pointed = String((await settings.get(adapter.binarySetting)).value);
  const binary =
    pointed !== ''
      ? pointed.includes('/')
        ? resolvePath(cwd, pointed)
        : await findExecutable(pointed, env.PATH)
      : await findExecutable(adapter.binary, env.PATH);

  const runId = req.runId ?? runsService.newRunId();
  const name =
    req.name ??
    (node
      ? node.id
      : target.mode === 'backfill'
        ? `backfill-${where.slug ?? kebab(repoDir.split('/').pop() ?? 'repo')}`
        : firstWords((target as {task: string}).task));
  const worktreeOn = target.mode !== 'backfill' && (await resolve(c, WORKTREE).enabled(repoDir, req.worktree));
  const worktree = worktreeOn
    ? await resolve(c, WORKTREE).plan(repoDir, {
        name,
        ...(node ? {nodeId: node.id} : {}),
        ...(where.slug ? {slug: where.slug} : {}),
      })
    : undefined;
  const dir = worktree?.path ?? where.dir;
  const reportFile = join(runsService.runDir(runId), 'report');
  const model = req.model ?? profile?.model;
  const {argv, env: extraEnv = {}} = adapter.launch({
    binary: binary ?? adapter.binary,
    cwd: dir,
    ...(model ? {model} : {}),
    flags: req.flags,
    reportFile,
  });

  // The prompt; a briefing that fails is a warning, never a refusal.
  let brief = '';
  if (!req.noBrief && target.mode !== 'backfill') {
    try {
      const compiled = resolve(c, BRIEF_COMPILER).compile(
        view,
        node ? {id: node.id} : {query: (target as {task: string}).task},
        {full: req.full, now},
      );
      // A free-text query that matched nothing adds nothing worth reading to the prompt.
      if (node || Object.values(compiled.sections).some((ids) => ids.length > 0)) brief = compiled.text;
    } catch (e) {
      warnings.push(`no briefing: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const full = node ? view.node(node.id) : undefined;
  const parts: PromptParts = {
    slug: where.slug,
    dir,
    brief,
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
  let prompt = defaultPrompt(parts);
  if (template !== undefined) {
    const rendered = renderTemplate(template, parts);
    prompt = rendered.prompt;
    if (rendered.unknown.length > 0)
      warnings.push(
        `unknown template placeholder(s) ${rendered.unknown.map((u) => `{{${u}}}`).join(', ')} left empty; available: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`,
      );
  }

  if (readiness?.readiness === 'human')
    warnings.push(
      `node '${node?.id}' reads as human work (${readiness.reasons.join('; ')}); dispatching to an agent anyway`,
    );
  const satisfaction = profile ? await resolve(c, CAPABILITIES).check(profile.id, {record: !req.print}) : undefined;
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
    registers: where.slug !== undefined && repos.bySlug[where.slug] === undefined,
    ...(worktree ? {worktree} : {}),
    harness,
    adapter,
    ...(binary ? {binary} : {}),
    ...(profile ? {profile: profile.id, profileSource: choice.source} : {}),
    ...(model ? {model} : {}),
    satisfiable: satisfaction ? satisfaction.ok : null,
    reasons: satisfaction?.reasons ?? [],
    ...(readiness ? {readiness} : {}),
    ...(resolution ? {resolution} : {}),
    inFlight: node ? runsService.inFlight(runs, node.id, now) : [],
    skipped,
    ...(agent ? {agent} : {}),
    ...(identity ? {identity} : {}),
    argv,
    extraEnv,
    reportFile,
    prompt,
    briefSize: Buffer.byteLength(brief),
    warnings,
  };
};
