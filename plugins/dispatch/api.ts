// The dispatch plugin's public surface: the only file other plugins may import.

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
}
