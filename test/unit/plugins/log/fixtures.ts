import {expect} from 'vitest';
import {appendFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import * as t from 'typanion';
import {builtinPlugins} from '../../../../core/builtins.js';
import {defineEvents, type SporEvent} from '../../../../core/events.js';
import {encodeLine} from '../../../../core/logFormat.js';
import {definePlugin} from '../../../../core/plugin.js';
import {counterIds, fakeClock} from '../../../helpers/fakeClock.js';
import {runInProcess} from '../../../helpers/inProcess.js';
import {readLog, type LoggedEvent} from '../../../helpers/readLog.js';
import {tempDir} from '../../../helpers/tempHome.js';

// A plugin whose event moved to v2 (`text` became `note`), to see `spor log` upcast old records.
type DemoNoted = SporEvent<'demo-noted', 2, {note: string}>;
const demo = definePlugin({
  name: 'demo',
  version: '1.0.0',
  events: defineEvents<DemoNoted>({
    'demo-noted': {
      v: 2,
      data: t.isObject({note: t.isString()}),
      upcast: {1: (old: {text: string}) => ({note: old.text})},
      summary: (d) => `noted: ${d.note}`,
    },
  }),
});
export const builtins = [...builtinPlugins(), {location: './test/demo', load: async () => ({default: demo})}];

/** One spor process's worth of services, shared by a test's in-process runs. */
export const session = () => {
  const clock = fakeClock('2026-11-24T10:00:00.000Z');
  const ids = counterIds();
  return (args: Array<string>, home: string) => runInProcess(args, {home, builtins, clock, ids});
};

/** A raw line as an older version of spor, or a plugin no longer loaded, wrote it. */
export const appendRaw = (home: string, event: Omit<SporEvent, 'seq'>): void => {
  const seq = readLog(home).length + 1;
  appendFileSync(join(home, '.spor', 'events.jsonl'), `${encodeLine({...event, seq} as SporEvent)}\n`);
};

/**
 * A log of six events from real commands and two raw lines: repo-added a, b, c; repo-removed a;
 * demo-noted v1 (upcast on read); mystery-happened (no plugin declares it).
 */
export const seed = async (
  run: ReturnType<typeof session>,
  home: string,
): Promise<{events: Array<LoggedEvent>; dirs: Record<string, string>}> => {
  const work = tempDir();
  const dirs: Record<string, string> = {};
  for (const slug of ['a', 'b', 'c']) {
    dirs[slug] = join(work, slug);
    mkdirSync(dirs[slug] as string);
    expect((await run(['repos', 'add', slug, dirs[slug] as string], home)).code).toBe(0);
  }
  expect((await run(['repos', 'rm', 'a'], home)).code).toBe(0);
  appendRaw(home, {
    id: 'old-note',
    type: 'demo-noted',
    v: 1,
    at: '2026-11-24T11:00:00.000Z',
    actor: 'machine:old',
    data: {text: 'hello'},
  });
  appendRaw(home, {
    id: 'mystery',
    type: 'mystery-happened',
    v: 3,
    at: '2026-11-24T12:00:00.000Z',
    actor: 'machine:elsewhere',
    data: {x: 1},
    causation: 'old-note',
  });
  return {events: readLog(home), dirs};
};
