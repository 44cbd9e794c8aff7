import {launchEnvKeys, type Plan} from './plan.js';

const SOURCES = {
  dir: '--dir',
  slug: '--slug',
  'node-repo': "the node's repo stamp",
  cwd: 'the current directory',
} as const;

const POSTURE_FROM = {
  flag: '--posture',
  profile: 'the profile',
  setting: 'dispatch.posture',
  default: 'the default',
} as const;

// The variable names the harness gets, grouped by what let them through; values are never shown.
const envLine = (p: Plan): string => {
  const by = new Map<string, Array<string>>();
  for (const k of launchEnvKeys(p)) {
    const source = p.envSources[k] ?? 'at launch';
    by.set(source, [...(by.get(source) ?? []), k]);
  }
  return [...by].map(([source, keys]) => `${source}: ${keys.join(' ')}`).join(' · ') || '(none)';
};

/** `--print --json`: the plan as one object, snake_case like every `--json` output. */
export const planJson = (p: Plan) => ({
  run_id: p.runId,
  name: p.name,
  mode: p.mode,
  dir: p.dir,
  dir_source: p.dirSource,
  repo_dir: p.repoDir,
  slug: p.slug ?? null,
  slug_inferred: p.slugInferred,
  registers: p.registers,
  node: p.node?.id ?? null,
  task: p.task ?? null,
  worktree: p.worktree?.path ?? null,
  branch: p.worktree?.branch ?? null,
  worktree_reuse: p.worktree?.reuse ?? null,
  setup: p.worktree?.setup
    ? {argv: p.worktree.setup.argv, source: p.worktree.setup.source, approved: p.worktree.setup.approved}
    : null,
  harness: p.harness,
  binary: p.binary ?? null,
  profile: p.profile ?? null,
  profile_source: p.profileSource ?? null,
  model: p.model ?? null,
  satisfiable: p.satisfiable,
  reasons: p.reasons,
  readiness: p.readiness?.readiness ?? null,
  resolution: p.resolution ?? null,
  in_flight: p.inFlight.map((r) => r.runId),
  skipped: p.skipped,
  agent: p.agent ?? null,
  identity: p.identity ?? null,
  team: p.team ? {server: p.team.server, claims: p.team.claims ?? null, agent: p.team.agent ?? null} : null,
  commit_author: p.commit.author ? `${p.commit.author.name} <${p.commit.author.email}>` : null,
  brief_bytes: p.briefSize,
  posture: p.posture,
  posture_source: p.postureSource,
  argv: p.argv,
  env: Object.fromEntries(launchEnvKeys(p).map((k) => [k, p.envSources[k] ?? 'at launch'])),
  blocked: p.blocked?.message ?? null,
  template: p.template ?? null,
  prompt: p.prompt,
  warnings: p.warnings,
});

const slugNote = (p: Plan): string => {
  const notes = [
    ...(p.slugInferred ? [`via ${p.dirSource === 'cwd' ? 'cwd' : '--dir'}: the checkout's name`] : []),
    ...(p.registers ? ['a real dispatch maps it here'] : []),
  ];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
};

/** `--print`: the plan, then the prompt. */
export const planLines = (p: Plan): Array<string> => [
  `target      ${p.node ? `${p.node.id} — ${p.node.title}${p.mode === 'queue' ? ' (top of the queue)' : ''}` : p.mode === 'backfill' ? 'backfill survey' : JSON.stringify(p.task)}`,
  ...(p.skipped.length > 0 ? [`skipped     in flight here: ${p.skipped.join(', ')}`] : []),
  `directory   ${p.dir === p.repoDir || p.worktree ? p.repoDir : p.dir} (from ${SOURCES[p.dirSource]})`,
  `slug        ${p.slug ?? '(none)'}${slugNote(p)}`,
  p.worktree
    ? `worktree    ${p.worktree.path} on ${p.worktree.branch} (${p.worktree.reuse === 'new' ? `new, from ${p.worktree.baseRef ? `${p.worktree.baseRef} = ` : ''}${p.worktree.base.slice(0, 12)}` : `reused: ${p.worktree.reuse}`})`
    : 'worktree    none (runs in the checkout)',
  ...(p.worktree?.setup
    ? [
        `setup       ${p.worktree.setup.argv.join(' ')}${p.worktree.setup.approved ? '' : ` — NOT APPROVED: ${p.worktree.setup.approveCommand ?? 'spor worktrees approve'}`}`,
      ]
    : []),
  `brief       ${p.briefSize} bytes`,
  `template    ${p.template ?? '(none: the default prompt)'}`,
  `harness     ${p.harness}${p.binary ? ` (${p.binary})` : ' (binary not found)'}`,
  `profile     ${p.profile ? `${p.profile} (from ${p.profileSource === 'flag' ? '--profile' : p.profileSource === 'assigned' ? 'the assigned edge' : 'the agent'})` : '(none)'}${p.model ? ` · model ${p.model}` : ''}`,
  `satisfiable ${p.satisfiable === null ? 'n/a (no profile)' : p.satisfiable ? 'yes' : `no — ${p.reasons.join('; ')}`}`,
  ...(p.readiness ? [`readiness   ${p.readiness.readiness} (${p.readiness.reasons.join('; ')})`] : []),
  ...(p.node ? [`resolution  ${p.resolution ?? 'unresolved'}`] : []),
  ...(p.node ? [`in flight   ${p.inFlight.length > 0 ? p.inFlight.map((r) => r.runId).join(', ') : 'no'}`] : []),
  ...(p.agent ? [`agent       ${p.agent}${p.identity ? ` (${p.identity})` : ''}`] : []),
  `posture     ${p.posture} (from ${POSTURE_FROM[p.postureSource]})`,
  ...(p.team
    ? [
        `team        ${p.team.server}: ${p.team.claims ? `claims ${p.team.claims}` : 'no claim'}; ${p.team.agent ? `a run token for ${p.team.agent}` : 'no agent, no run token'}`,
      ]
    : []),
  ...(p.commit.author ? [`commits by  ${p.commit.author.name} <${p.commit.author.email}>`] : []),
  `argv        ${JSON.stringify(p.argv)} (prompt on stdin)`,
  `env         ${envLine(p)}`,
  ...p.warnings.map((w) => `warning     ${w}`),
  '',
  '--- prompt ---',
  p.prompt.trimEnd(),
];
