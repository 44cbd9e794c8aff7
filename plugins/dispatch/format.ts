import type {Plan} from './plan.js';

const SOURCES = {
  dir: '--dir',
  slug: '--slug',
  'node-repo': "the node's repo stamp",
  cwd: 'the current directory',
} as const;

/** `--print --json`: the plan as one object. */
export const planJson = (p: Plan) => ({
  run_id: p.runId,
  name: p.name,
  mode: p.mode,
  dir: p.dir,
  dirSource: p.dirSource,
  repoDir: p.repoDir,
  slug: p.slug ?? null,
  registers: p.registers,
  node: p.node?.id ?? null,
  task: p.task ?? null,
  worktree: p.worktree?.path ?? null,
  branch: p.worktree?.branch ?? null,
  worktreeReuse: p.worktree?.reuse ?? null,
  setup: p.worktree?.setup
    ? {argv: p.worktree.setup.argv, source: p.worktree.setup.source, approved: p.worktree.setup.approved}
    : null,
  harness: p.harness,
  binary: p.binary ?? null,
  profile: p.profile ?? null,
  profileSource: p.profileSource ?? null,
  model: p.model ?? null,
  satisfiable: p.satisfiable,
  reasons: p.reasons,
  readiness: p.readiness?.readiness ?? null,
  resolution: p.resolution ?? null,
  inFlight: p.inFlight.map((r) => r.runId),
  skipped: p.skipped,
  agent: p.agent ?? null,
  identity: p.identity ?? null,
  commitAuthor: p.commit.author ? `${p.commit.author.name} <${p.commit.author.email}>` : null,
  briefBytes: p.briefSize,
  argv: p.argv,
  prompt: p.prompt,
  warnings: p.warnings,
});

/** `--print`: the plan, then the prompt. */
export const planLines = (p: Plan): Array<string> => [
  `target      ${p.node ? `${p.node.id} — ${p.node.title}${p.mode === 'queue' ? ' (top of the queue)' : ''}` : p.mode === 'backfill' ? 'backfill survey' : JSON.stringify(p.task)}`,
  ...(p.skipped.length > 0 ? [`skipped     in flight here: ${p.skipped.join(', ')}`] : []),
  `directory   ${p.dir === p.repoDir || p.worktree ? p.repoDir : p.dir} (from ${SOURCES[p.dirSource]})`,
  `slug        ${p.slug ?? '(none)'}${p.registers ? ' (a real dispatch maps it here)' : ''}`,
  p.worktree
    ? `worktree    ${p.worktree.path} on ${p.worktree.branch} (${p.worktree.reuse === 'new' ? `new, from ${p.worktree.baseRef ? `${p.worktree.baseRef} = ` : ''}${p.worktree.base.slice(0, 12)}` : `reused: ${p.worktree.reuse}`})`
    : 'worktree    none (runs in the checkout)',
  ...(p.worktree?.setup
    ? [
        `setup       ${p.worktree.setup.argv.join(' ')}${p.worktree.setup.approved ? '' : ` — NOT APPROVED: ${p.worktree.setup.approveCommand ?? 'spor worktrees approve'}`}`,
      ]
    : []),
  `brief       ${p.briefSize} bytes`,
  `harness     ${p.harness}${p.binary ? ` (${p.binary})` : ' (binary not found)'}`,
  `profile     ${p.profile ? `${p.profile} (from ${p.profileSource === 'flag' ? '--profile' : p.profileSource === 'assigned' ? 'the assigned edge' : 'the agent'})` : '(none)'}${p.model ? ` · model ${p.model}` : ''}`,
  `satisfiable ${p.satisfiable === null ? 'n/a (no profile)' : p.satisfiable ? 'yes' : `no — ${p.reasons.join('; ')}`}`,
  ...(p.readiness ? [`readiness   ${p.readiness.readiness} (${p.readiness.reasons.join('; ')})`] : []),
  ...(p.node ? [`resolution  ${p.resolution ?? 'unresolved'}`] : []),
  ...(p.node ? [`in flight   ${p.inFlight.length > 0 ? p.inFlight.map((r) => r.runId).join(', ') : 'no'}`] : []),
  ...(p.agent ? [`agent       ${p.agent}${p.identity ? ` (${p.identity})` : ''}`] : []),
  ...(p.commit.author ? [`commits by  ${p.commit.author.name} <${p.commit.author.email}>`] : []),
  `argv        ${JSON.stringify(p.argv)} (prompt on stdin)`,
  ...p.warnings.map((w) => `warning     ${w}`),
  '',
  '--- prompt ---',
  p.prompt.trimEnd(),
];
