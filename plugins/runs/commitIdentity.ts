// Who a dispatched run's commits say made them. The harness gets the agent as git author and
// committer (GIT_AUTHOR_* / GIT_COMMITTER_*), and a hooks directory of the run's own, put in front
// of the repository's hooks for this run only (core.hooksPath through GIT_CONFIG_PARAMETERS, which
// every git the agent starts inherits and nothing else sees), whose prepare-commit-msg adds the
// `Spor-Run:` / `Spor-Node:` trailers. prepare-commit-msg, not commit-msg: `--no-verify` skips the
// latter. Each hook the repository has runs as before: the run's directory holds a two-line
// wrapper per hook that execs the original.
import {chmodSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {isAbsolute, join, resolve} from 'node:path';
import {nodeChildProcess} from '../../core/index.js';

/** What dispatch asks commits made in a run to carry. */
export interface CommitIdentity {
  /** Author and committer (the agent and its owner); absent when no agent is in use. */
  author?: {name: string; email: string};
  /** Trailers added to each commit message, in order (`Spor-Run`, `Spor-Node`). */
  trailers: Array<[key: string, value: string]>;
}

// A value inside single quotes for sh (the wrappers are run by git, never by spor).
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const isExecutable = (file: string): boolean => {
  try {
    const st = statSync(file);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/** The repository's hooks directory as git resolves it in `cwd` (core.hooksPath or `<git dir>/hooks`). */
const hooksDirOf = (cwd: string, env: NodeJS.ProcessEnv): string | undefined => {
  const r = nodeChildProcess().spawnSync('git', ['rev-parse', '--git-path', 'hooks'], {
    cwd,
    env: {...env, GIT_OPTIONAL_LOCKS: '0'},
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const out = r.status === 0 ? r.stdout.trim() : '';
  if (out === '') return undefined;
  return isAbsolute(out) ? out : resolve(cwd, out);
};

/**
 * Writes the run's hooks into `dir` and returns the variables to add to the harness's environment.
 * `cwd` is where the harness works; outside a git checkout only the author is set.
 */
/**
 * The names of the variables `commitEnv` gives the harness for `identity` (in a git checkout):
 * what `--print` lists among the launch's environment, ahead of the run.
 */
export const commitEnvKeys = (identity: CommitIdentity): Array<string> => [
  ...(identity.author ? ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'] : []),
  ...(identity.trailers.length > 0 ? ['GIT_CONFIG_PARAMETERS'] : []),
];

export const commitEnv = (
  identity: CommitIdentity,
  dir: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Record<string, string> => {
  const out: Record<string, string> = identity.author
    ? {
        GIT_AUTHOR_NAME: identity.author.name,
        GIT_AUTHOR_EMAIL: identity.author.email,
        GIT_COMMITTER_NAME: identity.author.name,
        GIT_COMMITTER_EMAIL: identity.author.email,
      }
    : {};
  if (identity.trailers.length === 0) return out;
  const original = hooksDirOf(cwd, env);
  if (original === undefined) return out;
  mkdirSync(dir, {recursive: true, mode: 0o700});
  let names: Array<string> = [];
  try {
    names = readdirSync(original).filter((n) => !n.endsWith('.sample') && isExecutable(join(original, n)));
  } catch {
    /* no hooks directory yet: none to run */
  }
  const write = (name: string, body: string): void => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}`, {mode: 0o700});
    chmodSync(file, 0o700);
  };
  for (const name of names) if (name !== 'prepare-commit-msg') write(name, `exec ${sq(join(original, name))} "$@"\n`);
  const trailers = identity.trailers.map(([k, v]) => `--trailer ${sq(`${k}: ${v}`)}`).join(' ');
  const chain = names.includes('prepare-commit-msg') ? `exec ${sq(join(original, 'prepare-commit-msg'))} "$@"\n` : '';
  write(
    'prepare-commit-msg',
    `git interpret-trailers --in-place --if-exists addIfDifferent ${trailers} "$1" || exit 1\n${chain}`,
  );
  // Appended, so it wins over a core.hooksPath the user passed the same way.
  const param = sq(`core.hooksPath=${dir}`);
  out.GIT_CONFIG_PARAMETERS = env.GIT_CONFIG_PARAMETERS ? `${env.GIT_CONFIG_PARAMETERS} ${param}` : param;
  return out;
};
