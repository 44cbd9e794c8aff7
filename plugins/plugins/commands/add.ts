import {mkdirSync} from 'node:fs';
import {sep} from 'node:path';
import {Command, Option} from 'clipanion';
import {
  PLUGIN_API,
  SporCommand,
  RefusalError,
  acquireLock,
  ensureHome,
  type SporPlugin,
  fileChecksum,
  ENV,
  EVENT_CATALOG,
  HOST,
  PATHS,
  PLUGIN_REGISTRY,
} from '../../../core/index.js';
import {loadCandidate, type CandidateContext} from '../candidate.js';
import {contributionsOf, describeContributions} from '../contributions.js';
import {addPlugin} from '../decide.js';
import type {PluginRecord} from '../events.js';
import {npmInstall, packageOfRegistrySpec, packageOfTarball} from '../npmInstall.js';
import {classifySpec, entryModule} from '../source.js';

// npm may have to fetch from the network; other `plugins add` processes wait their turn for the prefix.
const NPM_LOCK_TIMEOUT_MS = 10 * 60_000;

export class PluginsAddCommand extends SporCommand {
  static override paths = [['plugins', 'add']];
  static override usage = Command.Usage({
    description: 'add a user plugin from a path or an npm package (event `plugin-added`)',
    details: `
      A path (a module file, or a directory: its package.json \`exports\`/\`main\`, else index.js) is recorded as its absolute path. Anything else is an npm spec (\`name\`, \`name@1.2.3\`, or a path to a .tgz tarball), installed with \`npm install --prefix $SPOR_HOME/plugins --ignore-scripts\`; its module's sha256 is recorded and checked before every load.

      The plugin is loaded first: one that throws, exports the wrong shape or clashes with a loaded command, event type, slice or setting is refused and nothing is recorded. A plugin module default-exports a factory: \`export default (spor) => spor.definePlugin({name, version, commands, events, ...})\`.
    `,
    examples: [
      ['Add a plugin you are writing', '$0 plugins add ./my-plugin'],
      ['Add a published plugin', '$0 plugins add spor-plugin-jira@1.4.2'],
    ],
  });
  spec = Option.String({name: 'path|package'});

  async execute(): Promise<number> {
    const target = classifySpec(this.spec, this.context.cwd);
    const {plugins: added} = await this.get(HOST).read(['plugins']);
    const ctx: CandidateContext = {
      api: this.get(PLUGIN_API),
      registry: this.get(PLUGIN_REGISTRY),
      catalog: this.get(EVENT_CATALOG),
      added,
    };
    let record: PluginRecord;
    let plugin: SporPlugin;
    if (target.kind === 'path') {
      const path = entryModule(target.target);
      plugin = await loadCandidate({path}, ctx);
      record = {name: plugin.name, spec: `file:${target.target}`, path, version: plugin.version};
      await this.record(record);
    } else {
      ({record, plugin} = await this.addFromNpm(target.spec, target.tarball, ctx));
    }
    const parts = describeContributions(contributionsOf(plugin, []));
    this.out(`added plugin ${record.name} ${record.version} from ${record.spec.replace(/^(file|npm):/, '')}`);
    if (parts.length > 0) this.out(`  ${parts.join(' · ')}`);
    return 0;
  }

  private async record(record: PluginRecord): Promise<void> {
    await this.get(HOST).handle(['plugins'], ({plugins}) => addPlugin(record, plugins));
  }

  private async addFromNpm(
    spec: string,
    tarball: string | undefined,
    ctx: CandidateContext,
  ): Promise<{record: PluginRecord; plugin: SporPlugin}> {
    const paths = this.get(PATHS);
    const name = tarball ? packageOfTarball(tarball) : packageOfRegistrySpec(spec);
    if (name !== undefined) {
      // Reinstalling a package an added plugin loads from would change its files under it.
      const dir = `${paths.pluginPackages}${sep}node_modules${sep}${name}${sep}`;
      const owner = ctx.added.added.find((p) => p.path.startsWith(dir));
      if (owner) {
        throw new RefusalError(`package '${name}' is already added as plugin '${owner.name}' (${owner.spec})`, {
          code: 'E_PLUGIN_ADDED',
          hint: `run \`spor plugins rm ${owner.name}\` first`,
        });
      }
    }
    ensureHome(paths);
    mkdirSync(paths.pluginPackages, {recursive: true, mode: 0o700});
    const lock = await acquireLock(paths.pluginPackages, NPM_LOCK_TIMEOUT_MS);
    try {
      const installed = await npmInstall(spec, {prefix: paths.pluginPackages, env: this.get(ENV), name});
      try {
        const path = entryModule(installed.dir);
        const checksum = fileChecksum(path);
        const plugin = await loadCandidate({path, checksum}, ctx);
        const record = {name: plugin.name, spec: `npm:${spec}`, path, version: plugin.version, checksum};
        await this.record(record);
        return {record, plugin};
      } catch (e) {
        installed.rollback();
        throw e;
      }
    } finally {
      lock.release();
    }
  }
}
