import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

// CLI tests run the built binary, as users do. `npm test` builds first and sets
// SPOR_TEST_NO_BUILD=1; this covers `vitest` run on its own. Several projects list this setup, and
// all of them run in one vitest process: the first one builds, the others reuse that dist/ (a
// rebuild mid-run would replace the binary under the tests already running).
export default function setup(): void {
  if (process.env.SPOR_TEST_NO_BUILD === '1') return;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['core/build/build.mjs'], {cwd: root, stdio: 'inherit'});
  process.env.SPOR_TEST_NO_BUILD = '1';
}
