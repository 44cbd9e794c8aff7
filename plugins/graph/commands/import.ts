import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {Command, Option} from 'clipanion';
import {SporCommand, RefusalError, UsageError, CLOCK, HOST, checkPath} from '../../../core/index.js';
import {GRAPH_READER} from '../api.js';
import type {Parsed} from '../import/parse.js';
import type {FileReport, Outcome} from '../import/plan.js';

/** Markdown files under `dir`, sorted; hidden folders and node_modules are not entered. */
const markdownFiles = (dir: string): Array<string> => {
  const found: Array<string> = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, {withFileTypes: true})) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        entry.name.endsWith('.md') &&
        (entry.isFile() || (entry.isSymbolicLink() && statSync(path, {throwIfNoEntry: false})?.isFile()))
      )
        found.push(path);
    }
  };
  walk(dir);
  return found.sort();
};

export class GraphImportCommand extends SporCommand {
  static override paths = [['import']];
  static override usage = Command.Usage({
    description: 'import a directory of Spor-format markdown nodes into the graph, in one append',
    details: `
      Each \`*.md\` file (subfolders included) is one node: YAML frontmatter with \`id\`, \`type\`, \`title\`, \`summary\`, \`status\`, \`priority\`, \`repo\` (or \`project\`), \`requires\`, \`date\`, \`edges: [{type, to, ...}]\`, and the body below it. Keys spor does not know are kept in \`extra\`; node and edge types spor does not act on are kept as inert nodes and edges.

      Each file is reported as imported, updated, unchanged or skipped (with the reason: a file with malformed frontmatter is skipped and the rest still import). Importing the same files again appends nothing. Updates set the fields a file states and add the edges it lists; nothing is removed. Exits 1 when any file was skipped.

      \`--json\` prints \`{files: [{file, id?, outcome, reason?, changes?, notes?}], counts: {imported, updated, unchanged, skipped}, events}\`.
    `,
    examples: [['Import a team graph', '$0 import ./graph']],
  });
  dir = Option.String({name: 'dir'});
  asJson = Option.Boolean('--json', false, {description: 'print the per-file report as JSON'});

  async execute(): Promise<number> {
    checkPath(this.dir, 'directory');
    const root = resolve(this.context.cwd, this.dir);
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
