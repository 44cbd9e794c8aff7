import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, CLOCK, checkRef} from '../../../core/index.js';
import {STOP_MARKER} from '../paths.js';
import {pickRun} from '../pick.js';
import {ENDED_RUN_STATES, RUNS} from '../api.js';

const GRACE_MS = 5000;
const POLL_MS = 100;

const signalGroup = (pid: number, signal: NodeJS.Signals): boolean => {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
};

export class RunsStopCommand extends SporCommand {
  static override paths = [['runs', 'stop']];
  static override usage = Command.Usage({
    description: 'stop a running run: SIGTERM to the harness and what it started, SIGKILL after 5 s',
    details: 'The run ends `failed` with signal `stopped`; its supervisor records it.',
    examples: [['Stop a run', '$0 runs stop 20261124-143012-a3f9']],
  });
  runId = Option.String({name: 'run-id'});

  async execute(): Promise<number> {
    checkRef(this.runId, 'run id');
    const service = this.get(RUNS);
    const run = pickRun(await service.list(), this.runId);
    if (ENDED_RUN_STATES.has(run.state)) {
      this.out(`run ${run.runId} already ended (${run.state})`);
      return 0;
    }
    if (run.harnessPid === undefined) {
      this.out(`run ${run.runId} has not started its harness yet; try again in a moment`);
      return 1;
    }
    // The marker tells the supervisor the exit it is about to see was asked for.
    writeFileSync(join(service.runDir(run.runId), STOP_MARKER), `${this.get(CLOCK).now().toISOString()}\n`, {
      mode: 0o600,
    });
    signalGroup(run.harnessPid, 'SIGTERM');
    const ended = async (): Promise<boolean> =>
      ENDED_RUN_STATES.has((await service.list()).find((r) => r.runId === run.runId)?.state ?? 'done');
    const deadline = Date.now() + GRACE_MS;
    while (Date.now() < deadline) {
      if (await ended()) {
        this.out(`stopped run ${run.runId}`);
        return 0;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    signalGroup(run.harnessPid, 'SIGKILL');
    for (let i = 0; i < 30 && !(await ended()); i += 1) await new Promise((r) => setTimeout(r, POLL_MS));
    this.out(`stopped run ${run.runId} (killed after ${GRACE_MS / 1000} s)`);
    return 0;
  }
}
