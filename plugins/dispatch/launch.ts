import type {Writable} from 'node:stream';
import {
  resolve,
  type Container,
  type EventDraft,
  type SporEvent,
  RefusalError,
  CLOCK,
  HOST,
  STDERR,
} from '../../core/index.js';
import {HOOK_DISPATCHER} from '../hooks/api.js';
import {RUNS, runStarted, type LaunchResult, type PendingLaunch} from '../runs/api.js';
import {WORKTREE} from '../worktree/api.js';
import type {Plan} from './plan.js';
import type {DispatchStartedData} from './api.js';

/** Another dispatch claimed the node between planning and the append (`--from-queue` re-plans). */
export class ClaimedError extends RefusalError {}

/** Checks 8–10 and the binary: the refusals a real dispatch makes before any side effect. */
export const finalChecks = (plan: Plan, force: boolean): void => {
  if (plan.satisfiable === false) {
    throw new RefusalError(`this machine cannot run profile '${plan.profile}': ${plan.reasons.join('; ')}`, {
      code: 'E_UNSATISFIABLE',
      hint: 'fix what each reason names (see `spor capabilities check <profile>`), or dispatch from a machine that has it',
    });
  }
  if (plan.inFlight.length > 0 && !force) {
    throw new RefusalError(
      `an agent is already in flight here for '${plan.node?.id}' (run ${plan.inFlight.map((r) => r.runId).join(', ')})`,
      {
        code: 'E_IN_FLIGHT',
        hint: `follow it with \`spor runs log ${plan.inFlight[0]?.runId} --follow\`, stop it with \`spor runs stop\`, or pass --force`,
      },
    );
  }
  if (plan.binary === undefined) {
    throw new RefusalError(`the ${plan.harness} binary '${plan.adapter.binary}' is not installed on this machine`, {
      code: 'E_HARNESS_MISSING',
      hint: `install it, or point \`${plan.adapter.binarySetting}\` at it with \`spor config set ${plan.adapter.binarySetting} <path>\``,
    });
  }
  if (plan.worktree?.setup && !plan.worktree.setup.approved) {
    throw new RefusalError(
      `the worktree setup command from ${plan.worktree.setup.origin ?? 'the repository'} is not approved on this machine`,
      {
        code: 'E_SETUP_UNAPPROVED',
        hint: `review it, then run \`${plan.worktree.setup.approveCommand ?? 'spor worktrees approve'}\``,
      },
    );
  }
};

const startedData = (plan: Plan): DispatchStartedData => ({
  run_id: plan.runId,
  name: plan.name,
  mode: plan.mode,
  harness: plan.harness,
  dir: plan.dir,
  repo_dir: plan.repoDir,
  dir_source: plan.dirSource,
  argv: plan.argv,
  ...(plan.node ? {node: plan.node.id} : {}),
  ...(plan.task ? {task: plan.task} : {}),
  ...(plan.profile ? {profile: plan.profile} : {}),
  ...(plan.model ? {model: plan.model} : {}),
  ...(plan.slug ? {slug: plan.slug} : {}),
  ...(plan.worktree ? {worktree: plan.worktree.path, branch: plan.worktree.branch} : {}),
  ...(plan.agent ? {agent: plan.agent} : {}),
  ...(plan.identity ? {identity: plan.identity} : {}),
});

/**
 * Runs the hook scripts subscribed to `dispatch-started` (a gating event: the hooks plugin's
 * reaction leaves them to this flow) and stops the dispatch when one exits 2.
 */
const gate = async (
  c: Container,
  started: SporEvent,
  failed: (signal: string, reason: string) => Promise<void>,
): Promise<void> => {
  const host = resolve(c, HOST);
  const stderr = resolve(c, STDERR);
  const runs = await resolve(c, HOOK_DISPATCHER).run(started, {
    append: (drafts) => host.append(drafts),
    warn: (message) => {
      stderr.write(`spor: warning: ${message}\n`);
    },
  });
  const veto = runs.find((r) => r.verdict.kind === 'veto');
  if (veto?.verdict.kind !== 'veto') return;
  const reason = `hook ${veto.hook.id} (${veto.hook.path}) vetoed the dispatch: ${veto.verdict.reason}`;
  await failed('vetoed', reason);
  throw new RefusalError(reason, {code: 'E_DISPATCH_VETOED', hint: 'see `spor hooks list`; nothing was launched'});
};

/**
 * The side effects, in order: `dispatch-started` (+ `repo-added` when the slug is new here),
 * appended under the log lock after re-checking that no run of the node is in flight — the local
 * claim; then its gating hooks (an exit 2 vetoes); then the worktree and its setup; then `go` to
 * the supervisor started before planning.
 */
export const launch = async (
  c: Container,
  plan: Plan,
  force: boolean,
  pending: PendingLaunch,
  io: {stdout: Writable; stderr: Writable},
): Promise<LaunchResult> => {
  const runs = resolve(c, RUNS);
  const host = resolve(c, HOST);
  const [started] = await host.handle(['runs', 'repos'], (s) => {
    if (plan.node && !force && runs.inFlight(s.runs, plan.node.id, resolve(c, CLOCK).now()).length > 0) {
      throw new ClaimedError(`another dispatch just started an agent for '${plan.node.id}'`, {
        code: 'E_IN_FLIGHT',
        hint: `see \`spor runs --node ${plan.node.id}\``,
      });
    }
    const data = startedData(plan);
    const {run_id, name, node, task, harness, profile, model, dir, slug, worktree, branch} = data;
    const drafts: Array<EventDraft> = [
      {type: 'dispatch-started', data},
      runStarted({run_id, name, node, task, harness, profile, model, dir, slug, worktree, branch}),
    ];
    if (plan.slug && s.repos.bySlug[plan.slug] === undefined)
      drafts.push({type: 'repo-added', data: {slug: plan.slug, path: plan.repoDir}});
    return drafts;
  });
  const failed = async (signal: string, reason: string): Promise<void> => {
    await host.append([
      {
        type: 'run-ended',
        data: {
          run_id: plan.runId,
          state: 'failed_launch',
          class: 'launch',
          signal,
          reason,
          exit_code: null,
          exit_signal: null,
          has_report: false,
        },
      },
    ]);
  };
  await gate(c, started as SporEvent, failed);
  if (plan.worktree) {
    const worktree = resolve(c, WORKTREE);
    try {
      const created = await worktree.create(plan.worktree);
      await worktree.runSetup(created, {
        stdout: io.stdout,
        stderr: io.stderr,
        ...(plan.slug ? {slug: plan.slug} : {}),
        ...(plan.node ? {nodeId: plan.node.id} : {}),
      });
    } catch (e) {
      await failed('worktree', e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
  try {
    return await pending.go({
      runId: plan.runId,
      harness: plan.harness,
      argv: plan.argv,
      env: plan.extraEnv,
      cwd: plan.dir,
      prompt: plan.prompt,
      reportFile: plan.reportFile,
    });
  } catch (e) {
    await failed('supervisor', e instanceof Error ? e.message : String(e));
    throw e;
  }
};
