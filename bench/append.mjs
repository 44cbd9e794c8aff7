// Append cost: one durable append through the EventStore (in process: lock, seal check, write,
// fdatasync, seal) against the floor any durable append pays: open, appendFileSync and fsyncSync
// of the same bytes, then close. Both run interleaved in this process, against the same disk.
import {appendFileSync, closeSync, fsyncSync, openSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {interleave, loadCore, median, row, tempDir} from './lib.mjs';

export const benchAppend = async ({rounds = 200, warmup = 20} = {}) => {
  const core = loadCore();
  const home = tempDir('spor-bench-append-');
  try {
    const paths = core.sporPaths({SPOR_HOME: join(home, '.spor')});
    const catalog = new core.EventCatalog();
    catalog.add('bench', {'bench-appended': {v: 1, data: () => true}});
    const store = new core.EventStore(paths, core.systemClock, core.randomIds, catalog, 'machine:bench');
    const data = {slug: 'spor', path: '/home/bench/src/spor'};
    const viaStore = async () => {
      const t = performance.now();
      await store.append([{type: 'bench-appended', data}]);
      return performance.now() - t;
    };
    await viaStore();
    // The bare side appends exactly the bytes the store writes for one such event.
    const line = readFileSync(paths.log, 'utf8').split('\n')[0] + '\n';
    const bareFile = join(home, 'bare.jsonl');
    const bare = async () => {
      const t = performance.now();
      const fd = openSync(bareFile, 'a', 0o600);
      appendFileSync(fd, line);
      fsyncSync(fd);
      closeSync(fd);
      return performance.now() - t;
    };
    await interleave(warmup, {store: viaStore, bare});
    const s = await interleave(rounds, {store: viaStore, bare});
    return [
      row(
        `append: EventStore.append vs appendFileSync+fsyncSync (${rounds} each, ${line.length} B)`,
        median(s.store),
        median(s.bare),
        2,
      ),
    ];
  } finally {
    rmSync(home, {recursive: true, force: true});
  }
};
