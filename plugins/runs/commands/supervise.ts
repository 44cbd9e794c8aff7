import {closeSync, writeSync} from 'node:fs';
import {Option} from 'clipanion';
import {SporCommand} from '../../../core/command.js';
import {HOST, PATHS, PLUGIN_REGISTRY} from '../../../core/tokens.js';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {runFiles} from '../paths.js';
import {supervise, type LaunchNotice, type SupervisorSpec} from '../supervisor.js';

/**
 * `spor runs supervise <run-id>`: the detached supervisor `spor dispatch` starts. Not for people
 * (no usage, so `spor --help` does not list it); it tells its launcher on fd 3 how the start went.
 */
export class RunsSuperviseCommand extends SporCommand {
  static override paths = [['runs', 'supervise']];
  runId = Option.String({name: 'run-id'});

  async execute(): Promise<number> {
    const runsDir = join(this.get(PATHS).home, 'runs');
    const spec = JSON.parse(readFileSync(runFiles(runsDir, this.runId).spec, 'utf8')) as SupervisorSpec;
    const adapter = this.get(PLUGIN_REGISTRY).harnesses.get(spec.harness)?.harness;
    let told = false;
    const notify = (n: LaunchNotice): void => {
      if (told) return;
      told = true;
      try { writeSync(3, `${JSON.stringify(n)}\n`); closeSync(3); } catch { /* started by hand, without a launcher listening */ }
    };
    await supervise(this.get(HOST), runsDir, this.runId, adapter, process.env, notify);
    return 0;
  }
}
