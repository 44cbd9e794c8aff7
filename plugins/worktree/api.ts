// The worktree plugin's public surface: the only file other plugins may import.
import type {Writable} from 'node:stream';
import {token, type SettingSource, type SettingsView, type SporStateMap} from '../../core/index.js';

/** How a plan gets its worktree: cut a new branch, take a worktree that exists, or check out a branch that exists. */
export type WorktreeReuse = 'new' | 'existing-worktree' | 'existing-branch';

/** The setup command (`worktree.setup`) as it applies to one repository. */
export interface SetupCommand {
  /** The main checkout of the repository it applies to (what an approval is recorded for). */
  repo: string;
  /** The command split into argv (no shell); argv[0] as written. */
  argv: Array<string>;
  /** Where the value came from; only `repo` (a committed `.spor.json`) needs approval. */
  source: SettingSource;
  /** The file or variable behind it, when not this machine's settings. */
  origin?: string;
  /** The key as it was spelled where the value came from, and that place: `worktree.setup in /r/.spor.json`. */
  from: string;
  /** The executable it runs, resolved in the main checkout (or on PATH). */
  executable: string;
  /** SHA-256 of argv and the executable's bytes: what an approval covers. */
  sha256: string;
  /** True when it may run: it is this machine's own, or this machine approved this fingerprint. */
  approved: boolean;
  /** `spor worktrees approve <slug>`, when it comes from the repository. */
  approveCommand?: string;
  /** `worktree.setupEnv`: the user's variables (names, or prefixes ending in `*`) it gets besides the basics. */
  passEnv: Array<string>;
}

/** What `create` would do; computing it changes nothing (dispatch --print shows it). */
export interface WorktreePlan {
  /** The repository's main checkout (the top of the target directory's checkout). */
  repo: string;
  /** The sanitized name: the folder's name and the branch's suffix. */
  name: string;
  /** Absolute path of the worktree (an existing worktree's own path when reused). */
  path: string;
  /** `spor/<name>`. */
  branch: string;
  /** Where a new branch is cut: the commit `--base` names, else the one HEAD points at in the main checkout. */
  base: string;
  /** The ref `--base` gave, as given. */
  baseRef?: string;
  reuse: WorktreeReuse;
  /** The setup command to run in it, if worktree.setup is set. */
  setup?: SetupCommand;
  slug?: string;
  nodeId?: string;
  /** git still lists a worktree here (or on the branch) whose folder is gone: `create` prunes that first. */
  stale: boolean;
  /** An ignore rule already covers the worktree's folder (else `create` adds one to info/exclude). */
  ignored?: boolean;
}

/** A worktree `create` made ready, and what that call itself made (which a failed setup takes back). */
export interface CreatedWorktree extends WorktreePlan {
  created: {worktree: boolean; branch: boolean};
}

/** Where the setup command's output goes, and what it is told about the run. */
export interface SetupRunOptions {
  slug?: string;
  nodeId?: string;
  stdout: Writable;
  stderr: Writable;
}

export interface SetupOutcome {
  argv: Array<string>;
  exit: number | null;
  signal: string | null;
  durationMs: number;
}

export interface RemoveOutcome {
  path: string;
  branch: string;
  /** The worktree is gone (removed now, or found already gone) and `worktree-removed` was appended. */
  removed: boolean;
  branchDeleted: boolean;
  /** Why the worktree was kept, when it was. */
  kept?: string;
  /** Why the branch was kept, when the worktree went but the branch did not. */
  branchKept?: string;
}

/** The slices `plan` reads: a caller that reads its own state reads these with it and passes them in. */
export const WORKTREE_READS = ['setupApprovals', 'repos'] as const;

/** What `plan` reads, when the caller read it already (one settings view, one read of the slices). */
export interface WorktreeReads {
  settings: SettingsView;
  state: Pick<SporStateMap, (typeof WORKTREE_READS)[number]>;
}

/**
 * Isolates dispatch runs in git worktrees of the target repository. Everything that changes
 * something is recorded: `worktree-created`, `worktree-setup-ran`, `worktree-removed`.
 */
export interface WorktreeService {
  /**
   * worktree.enabled for the target repository (its committed `.spor.json` counts); `flag` wins when
   * given. From `settings` when the caller has a view, else from one read of its own.
   */
  enabled(repoDir: string, flag?: boolean, settings?: SettingsView): Promise<boolean>;
  /**
   * Where and how a run named `name` (or for node `nodeId`, which names it when given) would get
   * its worktree, and the setup command with its approval state. Writes nothing; refuses
   * (RefusalError) when the directory is not a git checkout with a commit, or the path is taken by
   * something else. Reads `given` when the caller has it (WORKTREE_READS), else reads them itself.
   */
  plan(
    repoDir: string,
    opts: {name: string; nodeId?: string; slug?: string; base?: string},
    given?: WorktreeReads,
  ): Promise<WorktreePlan>;
  /** The setup command that applies to the repository at `repoDir`, or undefined when none is set. */
  setupFor(repoDir: string, opts?: {slug?: string}): Promise<SetupCommand | undefined>;
  /**
   * Makes the planned worktree exist: `git worktree add` (a new branch from HEAD, or the existing
   * branch), or takes the existing worktree; makes sure its folder is git-ignored; appends
   * `worktree-created`. Refuses before changing anything when the plan's setup command is not
   * approved (the plan is the judgement: nothing is read again).
   */
  create(plan: WorktreePlan): Promise<CreatedWorktree>;
  /**
   * Runs the setup command in the worktree (if there is one) with the output streamed to
   * `opts.stdout`/`opts.stderr`, and appends `worktree-setup-ran`. When it fails (or the copy in the
   * worktree is not the approved one, nor approved itself), removes what `create` made when the worktree is clean,
   * keeps it when the setup left changes, and throws a RefusalError saying which.
   */
  runSetup(created: CreatedWorktree, opts: SetupRunOptions): Promise<SetupOutcome | undefined>;
  /**
   * Removes a dispatch worktree with `git worktree remove` (never forced: a worktree with changes
   * is kept) and deletes its branch when spor cut it and it is merged into the main checkout's HEAD;
   * appends `worktree-removed`.
   */
  remove(path: string): Promise<RemoveOutcome>;
}

/** Provided by the `worktree` plugin. */
export const WORKTREE = token<WorktreeService>('spor.worktree.Worktree');
