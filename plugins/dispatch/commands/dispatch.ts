import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, ENV} from '../../../core/index.js';
import {RUNS} from '../../runs/api.js';
import {harnessEnv} from '../env.js';
import {planJson, planLines} from '../format.js';
import {ClaimedError, finalChecks, launch} from '../launch.js';
import {planDispatch, type DispatchRequest, type Plan} from '../plan.js';

// Concurrent --from-queue dispatches may claim the item this one planned; each retry plans past it.
const QUEUE_RETRIES = 20;

export class DispatchCommand extends SporCommand {
  static override paths = [['dispatch'], ['bg']];
  static override usage = Command.Usage({
    description: 'compile a briefing and launch a background coding agent in the right repo (alias `bg`)',
    details: `
      The target is task text, a node id, \`--node <id>\`, \`--from-queue\` (the top-ranked item that is not a question, not blocked, not human-only and not already in flight here) or \`--backfill\` (an agent that surveys the repository and records its decisions, norms and open work in the graph). The directory comes from the slug map (\`--slug\`, else the node's repo stamp; free text runs in the current directory), and \`--dir\` overrides it.

      Before anything is written: the template must be readable; the target and directory resolve; a resolved node is refused (\`--force\` overrides); \`requires: human\` is refused (no override); the profile (\`--profile\` > the assigned edge's profile > the agent's \`uses-profile\`) and its harness must exist and the harness flags must fit it; then \`--print\` stops and shows the plan. A real dispatch also refuses a profile this machine cannot satisfy, an agent already in flight for the node (\`--force\` overrides) and a missing harness binary.

      The prompt goes to the harness on stdin. \`--template <file>\` (or \`dispatch.template\`) replaces the default prompt; placeholders: {{brief}} {{task}} {{node}} {{title}} {{summary}} {{type}} {{status}} {{slug}} {{dir}} {{default}}. \`--print --json\` prints the plan as one object.
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
  template = Option.String('--template', {description: 'a prompt template file'});
  full = Option.Boolean('--full', false, {description: 'the full briefing instead of the digest'});
  brief = Option.Boolean('--brief', true, {description: '--no-brief: no briefing block in the prompt'});
  profile = Option.String('--profile', {description: 'the profile to run under'});
  model = Option.String('--model', {description: "the model (overrides the profile's)"});
  name = Option.String('--name', {description: "the run's name (default: the node id or the task's first words)"});
  force = Option.Boolean('--force', false, {description: 'dispatch a resolved node, or despite an agent in flight'});
  permissionMode = Option.String('--permission-mode', {description: 'Claude Code: its --permission-mode'});
  agent = Option.String('--agent', {description: 'Claude Code: the agent definition (--agent) the session runs'});
  sandbox = Option.String('--sandbox', {description: 'Codex: its --sandbox (default workspace-write)'});
  approvalPolicy = Option.String('--approval-policy', {description: 'Codex: its --ask-for-approval (default never)'});

  async execute(): Promise<number> {
    if (this.backfill && this.worktree === true)
      throw new UsageError('--backfill runs in the checkout itself', {code: 'E_USAGE', hint: 'drop --worktree'});
    const flags: Record<string, string> = {
      ...(this.permissionMode !== undefined ? {'permission-mode': this.permissionMode} : {}),
      ...(this.agent !== undefined ? {agent: this.agent} : {}),
      ...(this.sandbox !== undefined ? {sandbox: this.sandbox} : {}),
      ...(this.approvalPolicy !== undefined ? {'approval-policy': this.approvalPolicy} : {}),
    };
    const req: DispatchRequest = {
      target: this.target,
      node: this.node,
      fromQueue: this.fromQueue,
      backfill: this.backfill,
      slug: this.slug,
      dir: this.dir,
      worktree: this.worktree,
      template: this.template,
      full: this.full,
      noBrief: !this.brief,
      profile: this.profile,
      model: this.model,
      name: this.name,
      force: this.force,
      flags,
      print: this.print,
    };
    const c = this.context.container;
    if (this.print) return this.show(await planDispatch(c, req));
    // The supervisor (a second spor process) boots while this one plans; it has written nothing
    // until `go`, and any refusal below sends it away.
    const runId = this.get(RUNS).newRunId();
    const pending = this.get(RUNS).begin(runId, harnessEnv(this.get(ENV)));
    try {
      const exclude = new Set<string>();
      for (let attempt = 0; ; attempt += 1) {
        const plan = await planDispatch(c, {...req, exclude, runId});
        for (const w of plan.warnings) this.note(`warning: ${w}`);
        finalChecks(plan, this.force);
        try {
          return this.report(
            plan,
            await launch(c, plan, this.force, pending, {stdout: this.context.stderr, stderr: this.context.stderr}),
          );
        } catch (e) {
          if (!(e instanceof ClaimedError) || !this.fromQueue || !plan.node || attempt >= QUEUE_RETRIES) throw e;
          exclude.add(plan.node.id);
        }
      }
    } finally {
      pending.abort();
    }
  }

  private show(plan: Plan): number {
    if (this.asJson) this.json(planJson(plan));
    else for (const l of planLines(plan)) this.out(l);
    return 0;
  }

  private report(plan: Plan, result: {runId: string; state: string; reason?: string; harnessPid?: number}): number {
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
