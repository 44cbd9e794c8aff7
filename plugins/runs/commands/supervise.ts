import {appendFileSync, closeSync, readFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {Option} from 'clipanion';
import {SporCommand} from '../../../core/command.js';
import {HOST, PATHS, PLUGIN_REGISTRY} from '../../../core/tokens.js';
import {runFiles} from '../paths.js';
import {supervise, type LaunchNotice, type SupervisorSpec} from '../supervisor.js';

/** The `go` line's variables, or undefined when the launcher gave up (EOF first). */
const waitForGo = (stdin: NodeJS.ReadableStream): Promise<Record<string, string> | undefined> => new Promise((resolve) => {
  let text = '';
  const settle = (): boolean => {
    const nl = text.indexOf('\n');
    if (nl === -1) return false;
    const line = text.slice(0, nl);
    if (!line.startsWith('go ')) { resolve(undefined); return true; }
    try { resolve(JSON.parse(line.slice(3)) as Record<string, string>); } catch { resolve(undefined); }
    return true;
  };
  stdin.on('data', (b: Buffer) => { text += b.toString('utf8'); settle(); });
  stdin.on('end', () => { if (!settle()) resolve(undefined); });
  stdin.on('error', () => resolve(undefined));
});

/**
 * `spor runs supervise <run-id>`: the detached supervisor `spor dispatch` starts before it plans,
 * so its start-up overlaps the planning. Not for people (no usage, so `spor --help` does not list
 * it). It waits for its launcher's `go`, then tells it on fd 3 how the start went.
 */
export class RunsSuperviseCommand extends SporCommand {
  static override paths = [['runs', 'supervise']];
  runId = Option.String({name: 'run-id'});

  async execute(): Promise<number> {
    const extra = await waitForGo(this.context.stdin);
    if (extra === undefined) return 0;
    const runsDir = join(this.get(PATHS).home, 'runs');
    const files = runFiles(runsDir, this.runId);
    let told = false;
    const notify = (n: LaunchNotice): void => {
      if (told) return;
      told = true;
      try { writeSync(3, `${JSON.stringify(n)}\n`); closeSync(3); } catch { /* started by hand, without a launcher listening */ }
    };
    try {
      const spec = JSON.parse(readFileSync(files.spec, 'utf8')) as SupervisorSpec;
      const adapter = this.get(PLUGIN_REGISTRY).harnesses.get(spec.harness)?.harness;
      await supervise(this.get(HOST), runsDir, this.runId, adapter, {...process.env, ...extra}, notify);
    } catch (e) {
      // Nobody reads this process's stderr: what went wrong goes next to the run.
      appendFileSync(files.supervisorLog, `${new Date().toISOString()} ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`, {mode: 0o600});
      throw e;
    }
    return 0;
  }
}
