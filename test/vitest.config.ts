import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/helpers/unitSetup.ts'],
          // clipanion's ESM build imports a directory ('../platform'), which Node's ESM resolver
          // refuses; letting vite transform it resolves the directory as a bundler would.
          server: {deps: {inline: ['clipanion']}},
          testTimeout: 20_000,
          // Hooks that boot a host and a team server (and migrate a PostgreSQL schema) take
          // seconds on a loaded machine; vitest's 10 s default would fail them for load alone.
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
        // The real agent CLIs (pinned in test/harnesses, installed by the global setup) against
        // a scripted fake model: test/harness/README.md. Not in `npm test` yet.
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
