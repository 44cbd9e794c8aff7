import {closeSync, openSync, readSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, checkRef} from '../../../core/index.js';
import {pickRun} from '../pick.js';
import {ENDED_RUN_STATES, RUNS} from '../api.js';

const POLL_MS = 250;

export class RunsLogCommand extends SporCommand {
  static override paths = [['runs', 'log']];
  static override usage = Command.Usage({
    description: "print a run's output (the harness's stdout and stderr); --follow until it ends",
    examples: [['Follow a run', '$0 runs log 20261124-143012-a3f9 --follow']],
  });
  runId = Option.String({name: 'run-id'});
  follow = Option.Boolean('--follow,-f', false, {description: 'keep printing new output until the run ends'});

  async execute(): Promise<number> {
    checkRef(this.runId, 'run id');
    const service = this.get(RUNS);
    const run = pickRun(await service.list(), this.runId);
    const file = join(service.runDir(run.runId), 'output.log');
    let offset = 0;
    const drain = (): void => {
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch {
        return;
      }
      try {
        const size = statSync(file).size;
        const buf = Buffer.alloc(64 * 1024);
        while (offset < size) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
          if (n <= 0) break;
          this.context.stdout.write(buf.subarray(0, n));
          offset += n;
        }
      } finally {
        closeSync(fd);
      }
    };
    drain();
    while (this.follow) {
      const current = (await service.list()).find((r) => r.runId === run.runId);
      if (!current || ENDED_RUN_STATES.has(current.state)) {
        drain();
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      drain();
    }
    return 0;
  }
}
