import {Command, Option} from 'clipanion';
import {SporCommand, EVENT_BUS, EVENT_STORE, HOST, PATHS, PLUGIN_REGISTRY, PROJECTOR} from '../../../core/index.js';
import {HOME_IMPORTER} from '../../graph/api.js';

export class DoctorCommand extends SporCommand {
  static override paths = [['doctor']];
  static override usage = Command.Usage({
    description: 'verify the event log, snapshots and user plugins file; --repair mends what is safe',
    details: `
      Checks every record of the event log (checksum, gap-free seq) and reports a torn tail (an append cut short by a crash) or a damaged record in the middle, with its record number, byte offset and line. Also reports each state snapshot and $SPOR_HOME/spor.plugins.json. Exits 0 when healthy, 1 when problems remain.

      \`--repair\` cuts a torn tail back to the last committed record (recorded as a \`log-repaired\` event), rebuilds every snapshot from the log and rewrites spor.plugins.json. It never truncates or drops a damaged record: the log is left untouched and doctor says how to proceed.

      Also mentions a reference Spor CLI \`config.json\` in $SPOR_HOME that was not imported (\`spor import --from\`).

      \`--json\` prints \`{healthy, log, issues, snapshots, user_plugins, locked, repair?, unimported_config}\`.
    `,
    examples: [
      ['Check', '$0 doctor'],
      ['Check and repair what is safe', '$0 doctor --repair'],
    ],
  });
  repair = Option.Boolean('--repair', false, {
    description: 'cut a torn tail, rebuild snapshots, rewrite spor.plugins.json',
  });
  asJson = Option.Boolean('--json', false, {description: 'print the findings as JSON'});

  async execute(): Promise<number> {
    const [{checkup, isHealthy}, {renderCheckup, problemError}] = await Promise.all([
      import('../checkup.js'),
      import('../doctorText.js'),
    ]);
    const deps = {
      store: this.get(EVENT_STORE),
      paths: this.get(PATHS),
      registry: this.get(PLUGIN_REGISTRY),
      projector: this.get(PROJECTOR),
    };
    let found = await checkup(deps);
    let done;
    if (this.repair) {
      const {repair} = await import('../repair.js');
      done = await repair(
        {...deps, bus: this.get(EVENT_BUS), host: this.get(HOST), container: this.context.container},
        found,
      );
      if (!done.refused) found = await checkup(deps);
    }
    // A switching user's reference Spor home may be this very $SPOR_HOME: say what is not imported.
    const unimported = !isHealthy(found) ? undefined : await this.get(HOME_IMPORTER).unimported(deps.paths.home);
    if (this.asJson)
      this.json({
        healthy: isHealthy(found),
        ...found,
        ...(done ? {repair: done} : {}),
        unimported_config: unimported ?? null,
      });
    else {
      for (const line of renderCheckup(found, done)) this.out(line);
      if (unimported) this.out(`note: ${unimported}`);
    }
    const problem = problemError(found, this.repair);
    if (problem) throw problem;
    return 0;
  }
}
