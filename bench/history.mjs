// History: start-up must not grow with the log. `spor repos list` with 1,000,000 events against
// the same command with 100, and a full rebuild of every slice from the 1,000,000-event log.
import {closeSync, mkdirSync, openSync, rmSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {interleave, loadCore, median, row, SPOR_BIN, sporEnv, tempDir, timeProcess} from './lib.mjs';

const SLUGS = 100;
const KEYS = [
  ['hooks.timeout', (n) => `${10 + (n % 50)}s`],
  ['hooks.maxDepth', (n) => n % 4],
];

/**
 * Writes an `events` long log straight to `<sporHome>/events.jsonl` with the store's own line
 * encoder: a realistic mix of repos mapped (60%), forgotten (25%) and settings changed (15%),
 * as a machine would accumulate them. Returns the log's size in bytes.
 */
export const writeLog = (sporHome, events) => {
  const {encodeLine} = loadCore();
  mkdirSync(sporHome, {recursive: true, mode: 0o700});
  const fd = openSync(join(sporHome, 'events.jsonl'), 'w', 0o600);
  let size = 0;
  try {
    const base = Date.parse('2024-01-01T00:00:00.000Z');
    let chunk = [];
    for (let seq = 1; seq <= events; seq += 1) {
      const n = (seq * 2654435761) >>> 0;
      const slug = `repo-${n % SLUGS}`;
      const pick = n % 20;
      const [type, data] =
        pick < 12
          ? ['repo-added', {slug, path: `/home/ada/src/${slug}`}]
          : pick < 17
            ? ['repo-removed', {slug}]
            : ['config-set', {key: KEYS[pick % 2][0], value: KEYS[pick % 2][1](n)}];
      chunk.push(
        encodeLine({
          id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
          seq,
          type,
          v: 1,
          at: new Date(base + seq * 1000).toISOString(),
          actor: 'machine:ada@bench',
          data,
        }),
      );
      if (chunk.length === 10_000 || seq === events) {
        const text = `${chunk.join('\n')}\n`;
        size += writeSync(fd, text);
        chunk = [];
      }
    }
  } finally {
    closeSync(fd);
  }
  return size;
};

/** Folds every slice of the log in `sporHome` from scratch, in this process; returns ms. */
const timeRebuild = async (sporHome) => {
  const core = loadCore();
  const env = {HOME: sporHome, SPOR_HOME: sporHome, PATH: process.env.PATH};
  const {container} = await core.boot({
    env,
    cwd: sporHome,
    stderr: process.stderr,
    builtins: core.builtinPlugins(),
    userPlugins: false,
  });
  const projector = core.resolve(container, core.tokens.PROJECTOR);
  const t = performance.now();
  const seq = await projector.rebuild();
  const ms = performance.now() - t;
  if (seq <= 0) throw new Error('the rebuild folded nothing');
  return ms;
};

export const benchHistory = async ({rounds = 30, bigEvents = 1_000_000, smallEvents = 100, rebuilds = 3} = {}) => {
  const small = tempDir('spor-bench-small-');
  const big = tempDir('spor-bench-big-');
  try {
    const smallEnv = sporEnv(small);
    const bigEnv = sporEnv(big);
    writeLog(smallEnv.SPOR_HOME, smallEvents);
    const t = performance.now();
    const bytes = writeLog(bigEnv.SPOR_HOME, bigEvents);
    process.stderr.write(
      `  (wrote ${bigEvents} events, ${(bytes / 2 ** 20).toFixed(0)} MiB, in ${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
    );

    // The first command on the big log has no snapshot: it folds everything once and saves one.
    const first = timeProcess([SPOR_BIN, 'repos', 'list'], bigEnv);
    for (let i = 0; i < 2; i += 1) {
      timeProcess([SPOR_BIN, 'repos', 'list'], bigEnv);
      timeProcess([SPOR_BIN, 'repos', 'list'], smallEnv);
    }
    const s = await interleave(rounds, {
      big: () => timeProcess([SPOR_BIN, 'repos', 'list'], bigEnv),
      small: () => timeProcess([SPOR_BIN, 'repos', 'list'], smallEnv),
    });
    const rebuildMs = [];
    for (let i = 0; i < rebuilds; i += 1) rebuildMs.push(await timeRebuild(bigEnv.SPOR_HOME));
    return [
      row(
        `history: spor repos list, ${bigEvents} events vs ${smallEvents} (${rounds} each)`,
        median(s.big),
        median(s.small),
        1.15,
      ),
      row(
        `rebuild: Projector.rebuild() of every slice, ${bigEvents} events (median of ${rebuilds})`,
        median(rebuildMs),
        undefined,
        5000,
        'ms',
      ),
      row(
        `rebuild: first spor repos list without a snapshot, ${bigEvents} events (1 run)`,
        first,
        undefined,
        5000,
        'ms',
      ),
    ];
  } finally {
    rmSync(small, {recursive: true, force: true});
    rmSync(big, {recursive: true, force: true});
  }
};
