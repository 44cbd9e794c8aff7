import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {TestProject} from 'vitest/node';
import type {HarnessInstall} from './install.js';

const ENSURE = fileURLToPath(new URL('../../harnesses/ensure.mjs', import.meta.url));

/**
 * Installs the pinned CLIs when missing (test/harnesses/ensure.mjs) and tells the tests what is
 * runnable. When an install is impossible, ensure.mjs prints a banner and the tests of the missing
 * CLI skip; SPOR_HARNESS_REQUIRE=1 (for CI) turns that into a failure of the whole tier.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [ENSURE, '--json'],
      {encoding: 'utf8', maxBuffer: 1024 * 1024},
      (error, out) => {
        // exit 1 only says something is missing; the JSON says what
        if (error && !out) reject(error);
        else resolve(out);
      },
    );
    child.stderr?.pipe(process.stderr);
  });
  const install = JSON.parse(stdout) as HarnessInstall;
  const missing = Object.entries(install.harnesses)
    .filter(([, h]) => !h.ok)
    .map(([n]) => n);
  if (missing.length > 0 && process.env.SPOR_HARNESS_REQUIRE === '1') {
    throw new Error(`SPOR_HARNESS_REQUIRE=1 and ${missing.join(', ')} could not be installed (see the banner above)`);
  }
  project.provide('harnesses', install);
  // said again after the run, where a reader of the summary looks
  return missing.length === 0
    ? undefined
    : () => {
        process.stderr.write(
          `\n!! REAL-HARNESS TIER: ${missing.join(' and ')} could not be installed; their tests were SKIPPED (banner above)\n\n`,
        );
      };
}
