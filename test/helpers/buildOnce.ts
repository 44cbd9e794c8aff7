import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

// CLI tests run the built binary, as users do. `npm test` builds first; this covers
// `vitest` run on its own. SPOR_TEST_NO_BUILD=1 skips it when dist/ is known fresh.
export default function setup(): void {
  if (process.env.SPOR_TEST_NO_BUILD === '1') return;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['core/build/build.mjs'], {cwd: root, stdio: 'inherit'});
}
