// The dispatch plugin's public surface: the only file other plugins may import.
import type {Writable} from 'node:stream';
import {token} from '../../core/index.js';
import type {Plan} from './plan.js';

export type {Plan as DispatchPlan} from './plan.js';

/** Where the directory of a dispatch came from (the plan prints it). */
export type DirSource = 'dir' | 'slug' | 'node-repo' | 'cwd';

/**
 * `dispatch-started` data (v1): appended under the log lock after every check passed, before the
 * supervisor starts; it is the local claim on the node (another dispatch of the same node sees it
 * in flight). Never carries the prompt, the environment or secrets.
 */
export interface DispatchStartedData {
  run_id: string;
  /** The run's name (`--name`, else the node id or the first words of the task). */
  name: string;
  node?: string;
  /** The task text, when dispatching free text (not a node). */
  task?: string;
  /** `task` | `node` | `queue` | `backfill`. */
  mode: 'task' | 'node' | 'queue' | 'backfill';
  harness: string;
  profile?: string;
  model?: string;
  /** The directory the harness runs in (the worktree path when there is one). */
  dir: string;
  /** The main checkout the directory was resolved to, and how. */
  repo_dir: string;
  dir_source: DirSource;
  slug?: string;
  worktree?: string;
  branch?: string;
  /** `agent.current` in force (an agent node id), and its workload identity string. */
  agent?: string;
  identity?: string;
  /** The harness argv (argv[0] the binary). The prompt is on stdin, never here. */
  argv: Array<string>;
  /** The posture the argv was built for (`read-only`, `edit`, `full`). */
  posture?: string;
  /** The names of the variables the harness got (never their values). */
  env_keys?: Array<string>;
}

/** What the user asked for, as `spor dispatch` flags. */
export interface DispatchRequest {
  target?: string;
  node?: string;
  fromQueue: boolean;
  backfill: boolean;
  slug?: string;
  dir?: string;
  worktree?: boolean;
  /** `--base <ref>`: cut the worktree's new branch from this ref (implies a worktree). */
  base?: string;
  template?: string;
  full: boolean;
  noBrief: boolean;
  profile?: string;
  model?: string;
  name?: string;
  force: boolean;
  /** `--as <agent-id>`: the agent this run is dispatched as (overrides `agent.current`). */
  as?: string;
  /** Remote mode: claim the node on the team server (`--no-claim`: false). */
  claim: boolean;
  /** `--posture`: read-only, edit or full (checked by the plan). */
  posture?: string;
  /** The harness pass-through flags given, by name (`{'permission-mode': 'plan'}`). */
  flags: Record<string, string>;
}

/** Where a dispatch writes: notices and warnings, and the worktree setup command's output. */
export interface DispatchIo {
  stdout: Writable;
  stderr: Writable;
}

/** How a launch went (the supervisor's answer). */
export interface Launched {
  runId: string;
  /** `running` once the harness process started; `failed_launch` when it could not start. */
  state: 'running' | 'failed_launch';
  reason?: string;
  harnessPid?: number;
}

/**
 * A dispatch, in phases: `plan` (one read of the state and the settings; writes nothing), a pure
 * decision under the log lock (the claim: `dispatch-started` with the runs plugin's `run-started`,
 * or a refusal), then steps that call the owning plugins (a probe, a registration, the gating hooks,
 * the worktree), then the supervisor. See docs/dispatch.md.
 */
export interface Dispatcher {
  /** The plan and the refusals `--print` applies (resolved, human, another repository); writes nothing. */
  preview(request: DispatchRequest): Promise<Plan>;
  /** Plans, claims and launches; refusals throw. `--from-queue` plans past items claimed meanwhile. */
  run(request: DispatchRequest, io: DispatchIo): Promise<{plan: Plan; launched: Launched}>;
}

/** Provided by the `dispatch` plugin: `spor dispatch` is a thin edge over it. */
export const DISPATCH = token<Dispatcher>('spor.dispatch.Dispatch');
