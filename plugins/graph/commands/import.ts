import {readFileSync, statSync} from 'node:fs';
import {relative, resolve} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, UsageError, CLOCK, HOST, checkPath} from '../../../core/index.js';
import {GRAPH_READER, HOME_IMPORTER, type HomeImportReport} from '../api.js';
import {markdownFiles} from '../import/files.js';
import type {Parsed} from '../import/parse.js';
import type {FileReport, Outcome} from '../import/plan.js';

export class GraphImportCommand extends SporCommand {
  static override paths = [['import']];
  static override usage = Command.Usage({
    description: 'import a directory of Spor-format markdown nodes into the graph, in one append',
    details: `
      Each \`*.md\` file (subfolders included) is one node: YAML frontmatter with \`id\`, \`type\`, \`title\`, \`summary\`, \`status\`, \`priority\`, \`repo\` (or \`project\`), \`requires\`, \`date\`, \`edges: [{type, to, ...}]\`, and the body below it. Keys spor does not know are kept in \`extra\`; node and edge types spor does not act on are kept as inert nodes and edges.

      Each file is reported as imported, updated, unchanged or skipped (with the reason: a file with malformed frontmatter is skipped and the rest still import). Importing the same files again appends nothing. Updates set the fields a file states and add the edges it lists; nothing is removed. Exits 1 when any file was skipped.

      \`--json\` prints \`{files: [{file, id?, outcome, reason?, changes?, notes?}], counts: {imported, updated, unchanged, skipped}, events}\`.

      \`--from <home>\` brings a reference Spor CLI home across instead: its \`config.json\` (\`dispatch.repos\` → the slug map, \`dispatch.agent\` → the agent this machine dispatches as, \`dispatch.capabilities\` declared axes and deny list, \`dispatch.worktree\`, \`dispatch.worktreeDir\`, \`dispatch.template\`) and its graph (\`nodes/*.md\`), in one append; a second run changes nothing. A malformed \`config.json\` is refused before anything is written. A setup command (\`dispatch.worktreeSetup\`) is NOT applied: a command to run needs this machine's approval, so it is recorded as pending and the command that applies it is printed. What the slug map already holds is kept.
    `,
    examples: [
      ['Import a team graph', '$0 import ./graph'],
      ['Bring a reference Spor home across', '$0 import --from ~/.spor'],
    ],
  });
  dir = Option.String({name: 'dir', required: false});
  from = Option.String('--from', {description: 'a reference Spor CLI home: its config.json and nodes/ graph'});
  asJson = Option.Boolean('--json', false, {description: 'print the per-file report as JSON'});

  async execute(): Promise<number> {
    if ((this.dir === undefined) === (this.from === undefined))
      throw new UsageError(
        this.dir === undefined ? 'what should be imported?' : 'give a directory or --from, not both',
        {
          code: 'E_IMPORT_DIR',
          hint: 'spor import <dir> (markdown nodes) | spor import --from <reference spor home>',
        },
      );
    if (this.from !== undefined) return this.importHome(resolve(this.context.cwd, this.from));
    checkPath(this.dir as string, 'directory');
    const root = resolve(this.context.cwd, this.dir as string);
    const stat = statSync(root, {throwIfNoEntry: false});
    if (!stat)
      throw new UsageError(`directory not found: ${root}`, {
        code: 'E_IMPORT_DIR',
        hint: "give the directory that holds the graph's markdown files",
      });
    if (!stat.isDirectory())
      throw new UsageError(`not a directory: ${root}`, {
        code: 'E_IMPORT_DIR',
        hint: 'give the directory that holds the markdown files, not one file',
      });
    const files = markdownFiles(root);
    if (files.length === 0)
      throw new RefusalError(`no markdown files in ${root}`, {
        code: 'E_IMPORT_EMPTY',
        hint: 'each node is a .md file with YAML frontmatter (--- id: … type: … ---)',
      });

    const [{parse}, {parseNodeFile}, {planImport}] = await Promise.all([
      import('yaml'),
      import('../import/parse.js'),
      import('../import/plan.js'),
    ]);
    const parsed = files.map((path): Parsed => {
      const file = relative(root, path);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        return {ok: false, file, reason: `cannot be read: ${(e as Error).message}`};
      }
      return parseNodeFile(file, text, (source) => parse(source));
    });
    const now = this.get(CLOCK).now().toISOString();
    const reader = this.get(GRAPH_READER);
    let reports: Array<FileReport> = [];
    const events = await this.get(HOST).handle(['graph'], ({graph}) => {
      const plan = planImport(parsed, reader.viewOf(graph), now);
      reports = plan.files;
      return plan.drafts;
    });
    const counts: Record<Outcome, number> = {imported: 0, updated: 0, unchanged: 0, skipped: 0};
    for (const r of reports) counts[r.outcome] += 1;
    if (this.asJson) this.json({files: reports, counts, events: events.length});
    else this.print(reports, counts, events.length);
    if (counts.skipped === 0) return 0;
    this.note(`${counts.skipped} of ${reports.length} files skipped (see above); the others were imported`);
    this.context.stderr.write('  hint: fix the files named as skipped and run the same import again\n');
    return 1;
  }

  private async importHome(home: string): Promise<number> {
    const report = await this.get(HOME_IMPORTER).importHome(home);
    if (this.asJson) {
      this.json(report);
      return report.nodes.counts.skipped === 0 ? 0 : 1;
    }
    if (report.nodes.files.length > 0) this.print(report.nodes.files, report.nodes.counts, report.nodes.events);
    this.printHome(report);
    return report.nodes.counts.skipped === 0 ? 0 : 1;
  }

  private printHome(report: HomeImportReport): void {
    const width = Math.max(0, ...report.settings.map((l) => l.key.length));
    for (const l of report.settings) this.out(`${l.outcome.padEnd(10)} ${l.key.padEnd(width)}  ${l.detail}`);
    for (const p of report.pending)
      this.note(`${p.key} '${p.value}' NOT applied: ${p.why}; review it, then: ${p.apply}`);
    this.out(
      report.events === 0
        ? `${report.home}: nothing to import; everything is already here`
        : `${report.home}: ${report.events} events appended in one batch`,
    );
  }

  private print(reports: ReadonlyArray<FileReport>, counts: Record<Outcome, number>, events: number): void {
    const width = Math.max(0, ...reports.map((r) => (r.id ?? '').length));
    for (const r of reports) {
      if (r.outcome === 'skipped') this.out(`skipped    ${r.file}: ${r.reason}`);
      else
        this.out(
          `${r.outcome.padEnd(10)} ${(r.id ?? '').padEnd(width)}  ${r.file}${r.changes ? `  (${r.changes.join(', ')})` : ''}`,
        );
      for (const n of r.notes ?? []) this.out(`           note: ${n}`);
    }
    const summary = `${reports.length} files: ${counts.imported} imported, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} skipped`;
    this.out(`${summary}; ${events === 0 ? 'nothing appended' : `${events} events appended in one batch`}`);
  }
}
