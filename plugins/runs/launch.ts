import {mkdirSync, writeFileSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {nodeChildProcess, RefusalError} from '../../core/index.js';
import {runFiles} from './paths.js';
import type {CompanionRequest} from './companion.js';
import type {LaunchNotice, SupervisorSpec} from './supervisor.js';
import type {LaunchResult, LaunchSpec, PendingLaunch} from './api.js';

const CONFIRM_MS = 15_000;

/**
 * How to start spor itself: this Node and the entry script that is running now (`SPOR_ENTRY` in
 * spor's own environment names it where the process is not spor's binary: a test booting spor in
 * process).
 */
export const sporCommand = (env: NodeJS.ProcessEnv): [string, Array<string>] => [
  process.execPath,
  [env.SPOR_ENTRY ?? process.argv[1] ?? 'spor'],
];

/** What the `go` line carries: the harness's whole environment, and the run's companions. */
export interface GoPayload {
  env: Record<string, string>;
  companions: Array<CompanionRequest>;
}

/** The first line on the supervisor's stdin: `go` and its payload (secrets travel here, never to a file). */
export const goLine = (payload: GoPayload): string => `go ${JSON.stringify(payload)}\n`;

/**
 * Starts the supervisor detached (no shell; `env` is its own, spor's) so it boots while
 * the caller prepares the run. It touches nothing until the `go` line arrives on its stdin (EOF
 * instead: it exits), then answers on fd 3 whether the harness started.
 */
export const beginRun = (
  runsDir: string,
  runId: string,
  env: Record<string, string>,
  spor: [string, Array<string>] = sporCommand(env),
): PendingLaunch => {
  const files = runFiles(runsDir, runId);
  const [node, entry] = spor;
  const child = nodeChildProcess().spawn(node, [...entry, 'runs', 'supervise', runId], {
    env,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
  });
  const channel = child.stdio[3] as NodeJS.ReadableStream;
  const notice = new Promise<LaunchNotice | string>((resolve) => {
    let text = '';
    channel.on('data', (b: Buffer) => {
      text += b.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      try {
        resolve(JSON.parse(text.slice(0, nl)) as LaunchNotice);
      } catch {
        resolve(`the supervisor sent '${text.slice(0, nl)}'`);
      }
    });
    channel.on('end', () => resolve(`the supervisor exited before the harness started (see ${files.supervisorLog})`));
    channel.on('error', () => resolve('the supervisor closed its channel'));
    child.once('error', (e) => resolve(`could not start the supervisor: ${e.message}`));
  });
  const stdin = child.stdin as Writable;
  stdin.on('error', () => {
    /* a supervisor that died is reported through the channel */
  });
  const release = (): void => {
    (channel as unknown as {destroy(): void}).destroy();
    child.unref();
  };
  let sent = false;
  return {
    go: async (spec) => {
      sent = true;
      mkdirSync(runsDir, {recursive: true, mode: 0o700});
      mkdirSync(files.dir, {mode: 0o700});
      const forSupervisor: SupervisorSpec = {
        runId,
        harness: spec.harness,
        argv: spec.argv,
        cwd: spec.cwd,
        reportFile: spec.reportFile,
        ...(spec.commit ? {commit: spec.commit} : {}),
      };
      writeFileSync(files.spec, `${JSON.stringify(forSupervisor)}\n`, {mode: 0o600});
      writeFileSync(files.prompt, spec.prompt, {mode: 0o600});
      stdin.end(goLine({env: spec.env, companions: spec.companions ?? []}));
      let timer: NodeJS.Timeout | undefined;
      const got = await Promise.race([
        notice,
        new Promise<string>((resolve) => {
          timer = setTimeout(
            () => resolve(`the supervisor did not confirm within ${CONFIRM_MS / 1000} s (see ${files.supervisorLog})`),
            CONFIRM_MS,
          );
        }),
      ]);
      clearTimeout(timer);
      release();
      if (typeof got === 'string') {
        throw new RefusalError(`run ${runId}: ${got}`, {
          code: 'E_SUPERVISOR',
          hint: `look at ${files.dir}; \`spor runs ${runId}\` will mark the run vanished`,
        });
      }
      return {
        runId,
        state: got.state,
        dir: files.dir,
        ...(child.pid ? {supervisorPid: child.pid} : {}),
        ...(got.pid ? {harnessPid: got.pid} : {}),
        ...(got.reason ? {reason: got.reason} : {}),
      };
    },
    abort: () => {
      if (!sent) {
        sent = true;
        stdin.end();
        release();
      }
    },
  };
};

export const launchRun = (runsDir: string, spec: LaunchSpec, spor?: [string, Array<string>]): Promise<LaunchResult> =>
  beginRun(runsDir, spec.runId, spec.env, spor).go(spec);
