import {createHash} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {
  inject,
  injectable,
  RefusalError,
  UsageError,
  CLOCK,
  ENV,
  HOST,
  type Clock,
  type EventDraft,
  type Host,
} from '../../core/index.js';
import {useAgent} from '../agent/api.js';
import {addToAxis, denyProfiles, isAxis} from '../capabilities/api.js';
import {
  GRAPH_READER,
  markdownFiles,
  parseNodeFile,
  planImport,
  type FileReport,
  type GraphReader,
  type HomeImporter,
  type HomeImportLine,
  type HomeImportReport,
  type ImportOutcome,
  type ParsedNodeFile,
} from '../graph/api.js';
import {addRepo, SLUG} from '../repos/api.js';
import {setConfig, type SettingsState} from '../settings/api.js';
import {parseConfig, type ReferenceConfig} from './config.js';

// The reference's machine settings spor has a key for: their spor key and its old names.
const SETTING_KEYS = {
  worktree: {key: 'worktree.enabled', aliases: ['dispatch.worktree']},
  worktreeDir: {key: 'worktree.dir', aliases: ['dispatch.worktreeDir']},
  template: {key: 'dispatch.template', aliases: []},
} as const;

/** A shell-ready rendering of a value for the command the user may choose to run. */
const quoted = (value: string): string => (/^[\w./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * HOME_IMPORTER: `spor import --from <home>`. It reads the home whole and checks `config.json`
 * before writing anything, then appends one batch under one lock: the graph's node events
 * (`planImport`), `repo-added` (repos' `addRepo`), `agent-used` (agent's `useAgent`),
 * `capabilities-declared`/`profile-denied` (capabilities' helpers), `config-set` (settings'
 * `setConfig`) and its own `home-imported`, each drafted by the plugin that owns it. Anything
 * this machine already holds is kept; a second run appends nothing. A command to run
 * (`dispatch.worktreeSetup`) is never applied: it is recorded as pending approval.
 */
@injectable()
export class HomeImportService implements HomeImporter {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(ENV) private readonly env: NodeJS.ProcessEnv,
    @inject(GRAPH_READER) private readonly graph: GraphReader,
  ) {}

  async importHome(home: string): Promise<HomeImportReport> {
    if (!statSync(home, {throwIfNoEntry: false})?.isDirectory())
      throw new UsageError(`not a directory: ${home}`, {
        code: 'E_IMPORT_HOME',
        hint: 'give the reference Spor home: the folder holding config.json and nodes/ (its $SPOR_HOME)',
      });
    const configFile = join(home, 'config.json');
    const nodesDir = join(home, 'nodes');
    const hasConfig = existsSync(configFile);
    const hasNodes = statSync(nodesDir, {throwIfNoEntry: false})?.isDirectory() === true;
    if (!hasConfig && !hasNodes)
      throw new RefusalError(`${home} holds neither config.json nor nodes/`, {
        code: 'E_IMPORT_HOME',
        hint: 'give the reference Spor home (its $SPOR_HOME, ~/.spor by default), or `spor import <dir>` for a folder of nodes',
      });
    // Everything is read and checked before the lock; a malformed config.json stops here.
    const text = hasConfig ? readFileSync(configFile, 'utf8') : undefined;
    const config = text === undefined ? undefined : parseConfig(text, configFile, this.env.HOME);
    const parsed = hasNodes ? await this.readNodes(nodesDir) : [];
    const sha = text === undefined ? null : sha256(text);
    const now = this.clock.now().toISOString();

    let report: Omit<HomeImportReport, 'events'> = {
      home,
      nodes: {files: [], counts: {imported: 0, updated: 0, unchanged: 0, skipped: 0}, events: 0},
      settings: [],
      pending: [],
    };
    const events = await this.host.handle(
      ['graph', 'repos', 'settings', 'capabilities', 'agent', 'homeImports'],
      (state) => {
        const plan = planImport(parsed, this.graph.viewOf(state.graph), now);
        const lines: Array<HomeImportLine> = [];
        const drafts: Array<EventDraft> = [...plan.drafts];
        const pending: HomeImportReport['pending'] = [];
        if (config) {
          const view = this.graph.viewOf(state.graph);
          // The agent may be one this import brings (its node is in the same batch).
          const agentIds = new Set(
            parsed.flatMap((p) => (p.ok && p.value.node.type === 'agent' ? [p.value.node.id] : [])),
          );
          const isAgent = (id: string): boolean => agentIds.has(id) || view.meta(id)?.type === 'agent';
          drafts.push(...this.repos(config, state.repos.bySlug, lines));
          drafts.push(...this.agent(config, state.agent.current, isAgent, lines));
          drafts.push(...this.capabilities(config, state.capabilities, configFile, lines));
          drafts.push(...this.settings(config, state.settings, lines));
          for (const s of config.setup) {
            const already = s.key === 'worktree.setup' && state.settings.values['worktree.setup'] === s.value;
            if (already) {
              lines.push({
                key: 'dispatch.worktreeSetup',
                outcome: 'unchanged',
                detail: `already this machine's worktree.setup`,
              });
              continue;
            }
            pending.push({
              key: s.key,
              value: s.value,
              why: "a command to run is never applied from another tool's config; this machine must approve it",
              apply:
                s.key === 'worktree.setup'
                  ? `spor config set worktree.setup ${quoted(s.value)}`
                  : `add it as worktree.setup to that repo's .spor.json, then \`spor worktrees approve ${s.key.slice(16, -1)}\``,
            });
          }
          for (const i of config.ignored) lines.push({key: i.key, outcome: 'skipped', detail: i.why});
        }
        const pendingData = Object.fromEntries(pending.map((p) => [p.key, p.value]));
        const newPending = pending.some((p) => state.homeImports.pending[p.key] !== p.value);
        const newConfig = sha !== null && state.homeImports.bySha[sha] === undefined;
        if (drafts.length > 0 || newPending || newConfig)
          drafts.push({
            type: 'home-imported',
            data: {home, config_sha256: sha, nodes: parsed.length, pending: pendingData},
          });
        const counts: Record<ImportOutcome, number> = {imported: 0, updated: 0, unchanged: 0, skipped: 0};
        for (const f of plan.files) counts[f.outcome] += 1;
        report = {
          home,
          nodes: {files: plan.files, counts, events: plan.drafts.length},
          settings: lines,
          pending,
        };
        return drafts;
      },
    );
    return {...report, events: events.length};
  }

  async unimported(home: string): Promise<string | undefined> {
    const file = join(home, 'config.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const {homeImports} = await this.host.read(['homeImports']);
    if (homeImports.bySha[sha256(text)]) return undefined;
    const before = Object.values(homeImports.bySha).some((i) => i.home === home);
    return `${file} (a reference Spor CLI's settings) is not imported${before ? ' as it is now (it changed since)' : ''}: run \`spor import --from ${home}\``;
  }

  private async readNodes(dir: string): Promise<Array<ParsedNodeFile>> {
    const {parse} = await import('yaml');
    return markdownFiles(dir).map((path): ParsedNodeFile => {
      const file = relative(dir, path);
      try {
        return parseNodeFile(file, readFileSync(path, 'utf8'), (source) => parse(source));
      } catch (e) {
        return {ok: false, file, reason: `cannot be read: ${(e as Error).message}`};
      }
    });
  }

  private repos(config: ReferenceConfig, map: Record<string, string>, lines: Array<HomeImportLine>): Array<EventDraft> {
    const drafts: Array<EventDraft> = [];
    for (const [slug, path] of config.repos) {
      const key = `dispatch.repos.${slug}`;
      if (!SLUG.test(slug)) {
        lines.push({
          key,
          outcome: 'skipped',
          detail: `'${slug}' is not a slug spor accepts (lower-case, digits, dashes)`,
        });
        continue;
      }
      const mapped = map[slug];
      if (mapped === path) lines.push({key, outcome: 'unchanged', detail: `${slug} → ${path}`});
      else if (mapped !== undefined)
        lines.push({
          key,
          outcome: 'kept',
          detail: `${slug} is mapped here to ${mapped}; kept (the reference had ${path})`,
        });
      else {
        drafts.push(...addRepo({slug, path}, {bySlug: map}));
        lines.push({key, outcome: 'imported', detail: `${slug} → ${path}`});
      }
    }
    return drafts;
  }

  private agent(
    config: ReferenceConfig,
    current: string | undefined,
    isAgent: (id: string) => boolean,
    lines: Array<HomeImportLine>,
  ): Array<EventDraft> {
    if (config.agent === undefined) return [];
    const key = 'dispatch.agent';
    if (config.agent === null) {
      lines.push({key, outcome: 'skipped', detail: 'person-scoped (no agent); nothing to record'});
      return [];
    }
    if (current !== undefined && current !== '' && current !== config.agent) {
      lines.push({
        key,
        outcome: 'kept',
        detail: `this machine dispatches as ${current}; kept (the reference used ${config.agent})`,
      });
      return [];
    }
    if (!isAgent(config.agent)) {
      lines.push({key, outcome: 'skipped', detail: `no agent node '${config.agent}' in the graph or in nodes/`});
      return [];
    }
    const drafts = useAgent(config.agent, current);
    lines.push({key, outcome: drafts.length > 0 ? 'imported' : 'unchanged', detail: `agent.current = ${config.agent}`});
    return drafts;
  }

  private capabilities(
    config: ReferenceConfig,
    state: Parameters<typeof addToAxis>[0],
    file: string,
    lines: Array<HomeImportLine>,
  ): Array<EventDraft> {
    const drafts: Array<EventDraft> = [];
    const checked = <T>(key: string, make: () => T): T => {
      try {
        return make();
      } catch (e) {
        // Inside the decision: throwing aborts the whole batch, so nothing is half-imported.
        throw new UsageError(`${file}: ${key}: ${(e as Error).message}`, {
          code: 'E_IMPORT_CONFIG',
          hint: 'fix the file (or move it aside) and run the import again; nothing was imported',
        });
      }
    };
    for (const [axis, values] of config.declared) {
      const key = `dispatch.capabilities.declared.${axis}`;
      if (!isAxis(axis)) {
        lines.push({key, outcome: 'skipped', detail: `spor's axes are harnesses, reachable_mcp, skills, plugins`});
        continue;
      }
      const more = checked(key, () => addToAxis(state, axis, values));
      drafts.push(...more);
      lines.push({key, outcome: more.length > 0 ? 'imported' : 'unchanged', detail: values.join(', ') || '(none)'});
    }
    if (config.deny.length > 0) {
      const key = 'dispatch.capabilities.deny';
      const denied = checked(key, () => denyProfiles(state, config.deny));
      drafts.push(...denied);
      lines.push({key, outcome: denied.length > 0 ? 'imported' : 'unchanged', detail: config.deny.join(', ')});
    }
    return drafts;
  }

  private settings(config: ReferenceConfig, state: SettingsState, lines: Array<HomeImportLine>): Array<EventDraft> {
    const drafts: Array<EventDraft> = [];
    for (const name of ['worktree', 'worktreeDir', 'template'] as const) {
      const value = config[name];
      if (value === undefined) continue;
      const {key, aliases} = SETTING_KEYS[name];
      const ref = `dispatch.${name}`;
      const here = [key, ...aliases].map((k) => state.values[k]).find((v) => v !== undefined);
      if (here !== undefined && here !== value) {
        lines.push({
          key: ref,
          outcome: 'kept',
          detail: `${key} is ${String(here)} on this machine; kept (the reference had ${String(value)})`,
        });
        continue;
      }
      const set = setConfig({key, aliases, value}, state);
      drafts.push(...set);
      lines.push({key: ref, outcome: set.length > 0 ? 'imported' : 'unchanged', detail: `${key} = ${String(value)}`});
    }
    return drafts;
  }
}

export type {FileReport};
