import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, CLOCK, ENV, checkRef} from '../../../core/index.js';
import {runCommits} from '../commits.js';
import {runDetail, runJson, runLines} from '../format.js';
import {pickRun} from '../pick.js';
import {RUNS} from '../api.js';

export class RunsListCommand extends SporCommand {
  static override paths = [['runs'], ['runs', 'list']];
  static override usage = Command.Usage({
    description: 'list dispatched runs, newest first, or show one run',
    details: `
      States: launching → running → done | failed | vanished, or failed_launch. An ended run has a class: completed, permission-denied (the harness refused some of the agent's tool calls: not a clean done), environment (credit, usage or rate limits: worth re-dispatching later), auth, model-unreachable, timeout (\`runs.timeout\`), stalled (\`runs.stallTimeout\`), supervisor-gone, launch, failed or unknown, with a short signal and a reason. Reading first reconciles: a run whose supervisor died without recording an outcome has its harness ended and becomes failed/supervisor-gone. Ended runs older than \`runs.retentionDays\` age out.

      One run in detail shows, for a run in a worktree, its branch's commits since the base it was cut from (\`commits\` in its JSON).

      \`--json\` prints an array of run records (one object with a run id), snake_case like every \`--json\` output: \`run_id\`, \`node\`, \`state\`, \`class\`, \`session_id\`, \`harness_pid\`, \`supervisor_pid\`, \`exit_code\`, \`started_at\`, \`ended_at\`, ….
    `,
    examples: [
      ['Recent runs', '$0 runs'],
      ['One run', '$0 runs 20261124-1430'],
      ['Runs of a node as JSON', '$0 runs --node task-retry-emails --json'],
    ],
  });
  runId = Option.String({name: 'run-id, prefix or name', required: false});
  node = Option.String('--node', {description: 'only runs of this node'});
  limit = Option.String('--limit', '20', {description: 'how many to show (0 for all; default 20)'});
  asJson = Option.Boolean('--json', false, {description: 'print run records as JSON'});

  async execute(): Promise<number> {
    if (this.runId !== undefined) checkRef(this.runId, 'run id');
    if (!/^\d+$/.test(this.limit))
      throw new UsageError(`invalid --limit '${this.limit}'`, {
        code: 'E_LIMIT',
        hint: 'give a whole number (0 shows everything)',
      });
    const service = this.get(RUNS);
    const runs = await service.list({nodeId: this.node});
    if (this.runId !== undefined) {
      const run = pickRun(runs, this.runId);
      const commits = runCommits(run, this.get(ENV));
      if (this.asJson) this.json(commits ? {...runJson(run), commits} : runJson(run));
      else for (const l of runDetail(run, service.runDir(run.runId), commits)) this.out(l);
      return 0;
    }
    const shown = Number(this.limit) > 0 ? runs.slice(0, Number(this.limit)) : runs;
    if (this.asJson) {
      this.json(shown.map(runJson));
      return 0;
    }
    if (shown.length === 0) {
      this.out('no runs yet; start one with `spor dispatch "<task>"`');
      return 0;
    }
    for (const l of runLines(shown, this.get(CLOCK).now())) this.out(l);
    return 0;
  }
}
