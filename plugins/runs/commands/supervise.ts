import {appendFileSync, closeSync, read, readFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {Option} from 'clipanion';
import {SporCommand, EVENT_STORE, HOST, PATHS, PLUGIN_REGISTRY, SETTINGS, parseDuration} from '../../../core/index.js';
import {HARNESSES, RUN_COMPANIONS} from '../api.js';
import type {GoPayload} from '../launch.js';
import {runFiles} from '../paths.js';
import {STALL_KEY, TIMEOUT_KEY} from '../service.js';
import type {Bounds} from '../watchdog.js';
import {supervise, type LaunchNotice, type SupervisorSpec} from '../supervisor.js';

/**
 * The `go` line's variables, or undefined when the launcher gave up (EOF first). Read from fd 0
 * directly: building process.stdin's stream costs a supervisor's start-up milliseconds more.
 */
const waitForGo = (): Promise<GoPayload | undefined> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = [];
    const buf = Buffer.alloc(64 * 1024);
    const settle = (): void => {
      const text = Buffer.concat(chunks).toString('utf8');
      const nl = text.indexOf('\n');
      const line = nl === -1 ? text : text.slice(0, nl);
      if (!line.startsWith('go ')) {
        resolve(undefined);
        return;
      }
      try {
        const payload = JSON.parse(line.slice(3)) as Partial<GoPayload>;
        resolve({env: payload.env ?? {}, companions: Array.isArray(payload.companions) ? payload.companions : []});
      } catch {
        resolve(undefined);
      }
    };
    const next = (): void =>
      read(0, buf, 0, buf.length, null, (e, n) => {
        if (e || n === 0) {
          settle();
          return;
        }
        chunks.push(Buffer.from(buf.subarray(0, n)));
        if (buf.subarray(0, n).includes(10)) settle();
        else next();
      });
    next();
  });

/**
 * `spor runs supervise <run-id>`: the detached supervisor `spor dispatch` starts right after its claim,
 * so its start-up overlaps the gating hooks and the worktree. Not for people (no usage, so `spor --help` does not list
 * it). It waits for its launcher's `go`, then tells it on fd 3 how the start went.
 */
export class RunsSuperviseCommand extends SporCommand {
  static override paths = [['runs', 'supervise']];
  runId = Option.String({name: 'run-id'});

  async execute(): Promise<number> {
    const go = waitForGo();
    this.prepare();
    const bounds = this.bounds();
    const payload = await go;
    if (payload === undefined) return 0;
    const runsDir = join(this.get(PATHS).home, 'runs');
    const files = runFiles(runsDir, this.runId);
    let told = false;
    const notify = (n: LaunchNotice): void => {
      if (told) return;
      told = true;
      try {
        writeSync(3, `${JSON.stringify(n)}\n`);
        closeSync(3);
      } catch {
        /* started by hand, without a launcher listening */
      }
    };
    try {
      const spec = JSON.parse(readFileSync(files.spec, 'utf8')) as SupervisorSpec;
      const adapter = HARNESSES.get(this.get(PLUGIN_REGISTRY), spec.harness);
      const registry = this.get(PLUGIN_REGISTRY);
      const companions = payload.companions.map((c) => ({request: c, companion: RUN_COMPANIONS.get(registry, c.name)}));
      // The harness's environment is exactly what its launcher sent (dispatch's filtered one), not
      // this process's: the supervisor is spor and runs with the user's environment. SPOR_RUN_ID
      // marks the harness and everything it starts as this run's: the reconciler recognises an
      // orphan by it (liveness.ts), and the agent may read it.
      const env = {...payload.env, SPOR_RUN_ID: this.runId};
      await supervise(this.get(HOST), runsDir, this.runId, adapter, env, notify, await bounds, companions);
    } catch (e) {
      // Nobody reads this process's stderr: what went wrong goes next to the run.
      appendFileSync(
        files.supervisorLog,
        `${new Date().toISOString()} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        {mode: 0o600},
      );
      throw e;
    }
    return 0;
  }

  /** runs.timeout and runs.stallTimeout, read while the launcher prepares the run. */
  private async bounds(): Promise<Bounds> {
    const view = await this.get(SETTINGS).view();
    const ms = (key: string): number => parseDuration(String(view.get(key).value)) as number;
    return {timeoutMs: ms(TIMEOUT_KEY), stallMs: ms(STALL_KEY)};
  }

  // While the launcher plans, load what the first moments after `go` need (the harness adapters,
  // the store and what its first append needs), so the harness starts and `running` is recorded sooner.
  private prepare(): void {
    HARNESSES.items(this.get(PLUGIN_REGISTRY));
    this.get(HOST);
    this.get(EVENT_STORE).prepare();
  }
}
