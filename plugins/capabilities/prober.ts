// The `probers` extension point's item type: what a plugin contributes to tell spor what this
// machine can run. Owned by the capabilities plugin; other plugins reach it through api.ts.

/** What a prober found on this machine, per capability axis (absent axes: nothing to say). */
export interface ProbeFinding {
  harnesses?: Array<string>;
  reachable_mcp?: Array<string>;
  skills?: Array<string>;
  plugins?: Array<string>;
  /** Facts per item, shown by `spor capabilities` (e.g. `{'claude-code': {path, version}}`). */
  facts?: Record<string, Record<string, string>>;
}

/** What a prober may use. It must give up when `signal` aborts (its deadline). */
export interface ProbeContext {
  env: NodeJS.ProcessEnv;
  /** Resolves a setting (e.g. a harness binary pointed elsewhere). */
  setting(key: string): Promise<string | number | boolean>;
  signal: AbortSignal;
}

/**
 * Finds out what this machine can run (`spor capabilities probe`). Runs with a deadline; one that
 * throws or times out is reported and never blocks the others.
 */
export interface Prober {
  name: string;
  probe(ctx: ProbeContext): Promise<ProbeFinding>;
}

/** The `probers` point's check: what the capabilities plugin needs of a contributed item. */
export const proberProblem = (x: Record<string, unknown>): string | undefined =>
  typeof x.probe === 'function' ? undefined : 'is not a prober {name, probe(ctx)}';
