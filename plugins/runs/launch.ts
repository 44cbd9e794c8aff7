import {spawn} from 'node:child_process';
import {mkdirSync, openSync, closeSync, writeFileSync} from 'node:fs';
import {RefusalError} from '../../core/errors.js';
import {runFiles} from './paths.js';
import type {LaunchNotice, SupervisorSpec} from './supervisor.js';
import type {LaunchResult, LaunchSpec} from './tokens.js';

const CONFIRM_MS = 15_000;

/** How to start spor itself: this Node and the entry script that is running now. */
export const sporCommand = (env: NodeJS.ProcessEnv): [string, Array<string>] =>
  [process.execPath, [env.SPOR_ENTRY ?? process.argv[1] ?? 'spor']];

/**
 * Writes the run's private files, starts the supervisor detached (no shell; its environment is
 * the harness's), and waits for the one line it sends on fd 3 saying whether the harness started.
 */
export const launchRun = async (runsDir: string, spec: LaunchSpec): Promise<LaunchResult> => {
  const files = runFiles(runsDir, spec.runId);
  mkdirSync(runsDir, {recursive: true, mode: 0o700});
  mkdirSync(files.dir, {mode: 0o700});
  const forSupervisor: SupervisorSpec = {runId: spec.runId, harness: spec.harness, argv: spec.argv, cwd: spec.cwd, reportFile: spec.reportFile};
  writeFileSync(files.spec, `${JSON.stringify(forSupervisor)}\n`, {mode: 0o600});
  writeFileSync(files.prompt, spec.prompt, {mode: 0o600});
  const log = openSync(files.supervisorLog, 'a', 0o600);
  const [node, entry] = sporCommand(spec.env);
  const child = spawn(node, [...entry, 'runs', 'supervise', spec.runId], {
    cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log, log, 'pipe'],
  });
  closeSync(log);
  const channel = child.stdio[3] as NodeJS.ReadableStream;
  const notice = await new Promise<LaunchNotice | string>((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(`the supervisor did not confirm within ${CONFIRM_MS / 1000} s (see ${files.supervisorLog})`), CONFIRM_MS);
    channel.on('data', (b: Buffer) => {
      text += b.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      try { resolve(JSON.parse(text.slice(0, nl)) as LaunchNotice); } catch { resolve(`the supervisor sent '${text.slice(0, nl)}'`); }
    });
    channel.on('end', () => { clearTimeout(timer); resolve(`the supervisor exited before the harness started (see ${files.supervisorLog})`); });
    child.once('error', (e) => { clearTimeout(timer); resolve(`could not start the supervisor: ${e.message}`); });
  });
  (channel as unknown as {destroy(): void}).destroy();
  child.unref();
  if (typeof notice === 'string') {
    throw new RefusalError(`run ${spec.runId}: ${notice}`, {code: 'E_SUPERVISOR', hint: `look at ${files.dir}; \`spor runs ${spec.runId}\` will mark the run vanished`});
  }
  return {runId: spec.runId, state: notice.state, dir: files.dir, ...(child.pid ? {supervisorPid: child.pid} : {}),
    ...(notice.pid ? {harnessPid: notice.pid} : {}), ...(notice.reason ? {reason: notice.reason} : {})};
};
