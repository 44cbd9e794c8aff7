import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, type PluginRegistry} from '../../../core/index.js';
import {checkSlug} from '../../repos/api.js';
import {requireAgentId} from '../../remote/api.js';
import {HARNESSES} from '../../runs/api.js';
import {planJson, planLines} from '../format.js';
import {DISPATCH, type DispatchPlan, type DispatchRequest, type Launched} from '../api.js';

// Each harness's pass-through flags are options of this command under these field names.
const FLAG_FIELD = 'harness-flag:';

/** One option per flag the harness plugins declare (a flag two harnesses share is one option). */
const harnessFlagOptions = (registry: PluginRegistry): Record<string, unknown> => {
  const flags = new Map<string, Array<string>>();
  for (const {data} of HARNESSES.entries(registry)) {
    for (const f of Array.isArray(data.flags) ? (data.flags as Array<{name: string; description: string}>) : [])
      flags.set(f.name, [...(flags.get(f.name) ?? []), f.description]);
  }
  return Object.fromEntries(
    [...flags].map(([name, descriptions]) => [
      `${FLAG_FIELD}${name}`,
      Option.String(`--${name}`, {description: descriptions.join('; ')}),
    ]),
  );
};

export class DispatchCommand extends SporCommand {
  static override paths = [['dispatch'], ['bg']];
  static override contributedOptions = harnessFlagOptions;
  static override usage = Command.Usage({
    description: 'compile a briefing and launch a background coding agent in the right repo (alias `bg`)',
    details: `
      The target is task text, a node id, \`--node <id>\`, \`--from-queue\` (the top-ranked item that is not a question, not blocked, not human-only and not already in flight here) or \`--backfill\` (an agent that surveys the repository and records its decisions, norms and open work in the graph). The directory comes from the slug map (\`--slug\`, else the node's repo stamp; free text runs in the current directory), and \`--dir\` overrides it.

      Before anything is written: the template must be readable; the target and directory resolve; the profile (\`--profile\` > the assigned edge's profile > the agent's \`uses-profile\`) and its harness must exist and the harness flags must fit it; a checkout that is evidently another repository and a resolved node are refused (\`--force\` overrides); \`requires: human\` is refused (no override); then \`--print\` stops and shows the plan. A real dispatch also refuses a profile this machine cannot satisfy, an agent already in flight for the node (\`--force\` overrides), a missing harness binary and an unapproved worktree setup command.

      The options after \`--force\` come from the harness plugins: each is passed to the harness that declares it, and refused when the dispatch runs another.

      Remote mode (\`spor login\`, or SPOR_SERVER and SPOR_TOKEN): after those checks the node is claimed on the team server (a lease someone else holds refuses the dispatch, naming them; \`--no-claim\` skips it; \`--force\` re-claims a node a run of yours holds), a per-run token is minted for the agent (\`spor agent use\`, or \`--as <agent-id>\`) and given to the harness as SPOR_TOKEN with SPOR_SERVER in its environment only, and this machine's capabilities are published when the server's record is stale. The run's supervisor renews the lease while the run lives, binds the run's session to the token, and releases the claim if the run fails. A profile this machine cannot run names the machines of the fleet that can.

      The prompt goes to the harness on stdin. \`--template <file>\` (or \`dispatch.template\`) replaces the default prompt; placeholders: {{brief}} {{task}} {{node}} (or {{id}}) {{title}} {{summary}} {{type}} {{status}} {{slug}} {{dir}} {{date}} {{default}}, and the reference Spor CLI's names {{briefing}} {{instruction}} {{node_id}} {{project}} {{repo}}; \`--print\` names the template file it used. \`--print --json\` prints the plan as one object.
    `,
    examples: [
      ['See what would run, writing nothing', '$0 dispatch "fix the flaky login test" --dir . --print'],
      ['Dispatch a node in its own worktree', '$0 dispatch task-api-rate-limits --worktree'],
      ['The top of the queue', '$0 bg --from-queue'],
    ],
  });
  target = Option.String({name: 'task | node-id', required: false});
  node = Option.String('--node', {description: 'dispatch this node'});
  fromQueue = Option.Boolean('--from-queue', false, {
    description: 'dispatch the top-ranked queue item not in flight here',
  });
  backfill = Option.Boolean('--backfill', false, {
    description: "an agent that records the repo's decisions, norms and open work in the graph",
  });
  slug = Option.String('--slug', {description: 'the repo slug (its mapped directory, unless --dir)'});
  dir = Option.String('--dir', {description: 'launch directory, overriding the slug map'});
  print = Option.Boolean('--print,--dry-run', false, {
    description: 'print the plan and the prompt; write and launch nothing',
  });
  asJson = Option.Boolean('--json', false, {
    description: 'with --print: the plan as JSON; otherwise the launched run as JSON',
  });
  worktree = Option.Boolean('--worktree', {description: 'run in its own git worktree (--no-worktree: not this time)'});
  base = Option.String('--base', {
    description: "cut the worktree's new branch from this ref (a branch, tag or commit; implies --worktree)",
  });
  template = Option.String('--template', {description: 'a prompt template file'});
  full = Option.Boolean('--full', false, {description: 'the full briefing instead of the digest'});
  brief = Option.Boolean('--brief', true, {description: '--no-brief: no briefing block in the prompt'});
  profile = Option.String('--profile', {description: 'the profile to run under'});
  model = Option.String('--model', {description: "the model (overrides the profile's)"});
  name = Option.String('--name', {description: "the run's name (default: the node id or the task's first words)"});
  force = Option.Boolean('--force', false, {
    description:
      'dispatch a resolved node, or despite an agent in flight (remote mode: re-claim it from a run of yours)',
  });
  as = Option.String('--as', {
    description: 'dispatch as this agent (agent-…), overriding `spor agent use` for one run',
  });
  claim = Option.Boolean('--claim', true, {description: "remote mode: --no-claim skips the team server's lease"});
  posture = Option.String('--posture', {
    description: "what the agent may do: read-only, edit or full (default: the profile's, else dispatch.posture)",
  });

  async execute(): Promise<number> {
    if (this.slug !== undefined) checkSlug(this.slug);
    if (this.backfill && this.worktree === true)
      throw new UsageError('--backfill runs in the checkout itself', {code: 'E_USAGE', hint: 'drop --worktree'});
    if (this.base !== undefined && (this.worktree === false || this.backfill))
      throw new UsageError('--base cuts a worktree, and this dispatch runs in the checkout itself', {
        code: 'E_USAGE',
        hint: `drop --base, or ${this.backfill ? '--backfill' : '--no-worktree'}`,
      });
    const request = this.request();
    const dispatch = this.get(DISPATCH);
    if (this.print) return this.show(await dispatch.preview(request));
    const {plan, launched} = await dispatch.run(request, {stdout: this.context.stderr, stderr: this.context.stderr});
    return this.report(plan, launched);
  }

  /** The flags as a request, the harness pass-through flags among them by name. */
  private request(): DispatchRequest {
    const flags: Record<string, string> = {};
    for (const [field, value] of Object.entries(this))
      if (field.startsWith(FLAG_FIELD) && typeof value === 'string') flags[field.slice(FLAG_FIELD.length)] = value;
    return {
      target: this.target,
      node: this.node,
      fromQueue: this.fromQueue,
      backfill: this.backfill,
      slug: this.slug,
      dir: this.dir,
      worktree: this.base !== undefined ? true : this.worktree,
      ...(this.base !== undefined ? {base: this.base} : {}),
      template: this.template,
      full: this.full,
      noBrief: !this.brief,
      profile: this.profile,
      model: this.model,
      name: this.name,
      force: this.force,
      ...(this.as === undefined ? {} : {as: requireAgentId(this.as, '--as')}),
      claim: this.claim,
      ...(this.posture !== undefined ? {posture: this.posture} : {}),
      flags,
    };
  }

  private show(plan: DispatchPlan): number {
    if (this.asJson) this.json(planJson(plan));
    else for (const l of planLines(plan)) this.out(l);
    return 0;
  }

  private report(plan: DispatchPlan, result: Launched): number {
    if (this.asJson) {
      this.json({
        run_id: result.runId,
        state: result.state,
        reason: result.reason ?? null,
        node: plan.node?.id ?? null,
        dir: plan.dir,
        worktree: plan.worktree?.path ?? null,
        branch: plan.worktree?.branch ?? null,
        harness: plan.harness,
        pid: result.harnessPid ?? null,
      });
      return result.state === 'running' ? 0 : 1;
    }
    if (result.state !== 'running') {
      this.note(`run ${result.runId} did not start: ${result.reason ?? 'unknown reason'}`);
      return 1;
    }
    const what = plan.node ? plan.node.id : JSON.stringify(plan.name);
    this.out(`started run ${result.runId}: ${what} with ${plan.harness} (pid ${result.harnessPid ?? '?'})`);
    this.out(`  in ${plan.dir}${plan.worktree ? ` (worktree, branch ${plan.worktree.branch})` : ''}`);
    if (plan.skipped.length > 0) this.out(`  skipped (in flight here): ${plan.skipped.join(', ')}`);
    this.out(`  follow: spor runs log ${result.runId} --follow`);
    return 0;
  }
}
