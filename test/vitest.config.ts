import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    // Most CLI test time is spent waiting on child processes (spor, git, stub harnesses), not on
    // CPU: three files at a time keep a 2-core machine busy without starving the timed bounds.
    // Vitest's default here would be one (cores - 1), which ran the suite file after file.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/helpers/unitSetup.ts'],
          // One module graph per worker: each file re-importing core, clipanion and the plugins
          // in a fresh process cost as much as the unit tests themselves. Unit tests keep no
          // global state (no module mocks, no fake timers left installed, env passed explicitly).
          isolate: false,
          // clipanion's ESM build imports a directory ('../platform'), which Node's ESM resolver
          // refuses; letting vite transform it resolves the directory as a bundler would.
          server: {deps: {inline: ['clipanion']}},
          // The projector's property test (100 sequences of fsynced appends) took over 20 s in a
          // full run at load average 17; it takes ~1 s on an idle machine.
          testTimeout: 60_000,
          // A team server seeded by 50 clients over HTTP (server/race.test.ts) took over the
          // default 10 s to set up at load average 18, as do hooks that migrate a PostgreSQL schema.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          root,
          include: ['test/cli/**/*.test.ts', 'test/stress/**/*.test.ts', 'test/crash/**/*.test.ts'],
          globalSetup: ['test/helpers/buildOnce.ts'],
          // For the few CLI tests that boot spor's sources in process (see the unit project).
          server: {deps: {inline: ['clipanion']}},
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The real agent CLIs (pinned in test/harnesses, installed by the global setup when
        // missing, skipped loudly when that is impossible) against a scripted fake model:
        // test/harness/README.md.
        test: {
          name: 'harness',
          root,
          include: ['test/harness/**/*.harness.test.ts'],
          globalSetup: ['test/helpers/buildOnce.ts', 'test/helpers/realHarness/globalSetup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
