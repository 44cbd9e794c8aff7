import {existsSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {
  resolve,
  type Container,
  type EventBus,
  type SporEvent,
  type EventStore,
  type Host,
  type SporPaths,
  type PluginRegistry,
  type Projector,
} from '../../core/index.js';
import {USER_PLUGINS_FILE} from '../plugins/api.js';
import type {Checkup} from './checkup.js';
import {planMend, type Mend} from './mend.js';

export interface RepairDeps {
  store: EventStore;
  projector: Projector;
  registry: PluginRegistry;
  bus: EventBus;
  host: Host;
  paths: SporPaths;
  container: Container;
}

/** What `spor doctor --repair` did. */
export interface Repair {
  /** Why nothing was touched, when nothing was. */
  refused?: string;
  /** Records renumbered or dropped to mend the sequence, and where the old log was kept. */
  mended?: Mend & {quarantine: string};
  /** The torn tail cut off, and the `log-repaired` event recording it. */
  truncated?: {truncated_bytes: number; from_offset: number; event_seq?: number};
  /** Slices whose snapshot was rebuilt from the log, and the seq they now stand at. */
  snapshots: Array<string>;
  snapshot_seq?: number;
  /** `rewritten`, or why $SPOR_HOME/spor.plugins.json was not. */
  user_plugins: 'rewritten' | 'no plugins service' | 'not attempted' | {error: string};
}

/**
 * Repairs only what is safe, all under the log lock: a torn tail is cut back to the committed
 * prefix (by the store's own recovery, which runs when the lock is taken), the cut is recorded as
 * `log-repaired`, every snapshot is rebuilt from the log and the user plugins file is rewritten
 * from its slice. A damaged record in the middle is never touched: the log is left byte for byte.
 */
export const repair = async (deps: RepairDeps, found: Checkup): Promise<Repair> => {
  // Repairing must not be the thing that creates SPOR_HOME.
  if (!existsSync(deps.paths.home))
    return {refused: 'there is no SPOR_HOME yet; nothing to repair', snapshots: [], user_plugins: 'not attempted'};
  const outcome: Repair = {snapshots: [], user_plugins: 'no plugins service'};
  if (found.issues.some((i) => i.kind === 'corrupt')) {
    // Intact records out of sequence (two writers stamped one seq) are renumbered, and a damaged
    // final record its writer never saw acknowledged is dropped; anything else is refused.
    const quarantine = join(deps.paths.home, `events.jsonl.quarantined-${new Date().toISOString().replace(/:/g, '')}`);
    const mend = await deps.store.rewrite(quarantine, planMend);
    if (mend.refused)
      return {refused: `${mend.refused}; the log was left untouched`, snapshots: [], user_plugins: 'not attempted'};
    outcome.mended = {...mend, quarantine};
  }
  const appended = await deps.store.withLock(async (log): Promise<Array<SporEvent>> => {
    // Taking the lock ran the store's recovery, which cut a torn tail and recorded it itself.
    const events: Array<SporEvent> = [];
    if (log.repaired) outcome.truncated = log.repaired;
    // Deleted first: a rebuild never overwrites a snapshot that claims to be newer than it.
    const slices = [...deps.registry.projections.keys()];
    for (const slice of slices) rmSync(join(deps.paths.snapshots, `${slice}.json`), {force: true});
    outcome.snapshot_seq = await deps.projector.rebuild(slices, {locked: true});
    outcome.snapshots = slices;
    if (deps.container.isRegistered(USER_PLUGINS_FILE, true)) {
      try {
        await resolve(deps.container, USER_PLUGINS_FILE).rewrite({locked: true});
        outcome.user_plugins = 'rewritten';
      } catch (e) {
        outcome.user_plugins = {error: e instanceof Error ? e.message : String(e)};
      }
    }
    return events;
  });
  await deps.bus.publish(appended, (drafts) => deps.host.append(drafts));
  return outcome;
};
