// Start-up: a fresh `spor repos list` process against a bare `node -e 0`, both spawned the same
// way and interleaved. The spor side reads a small real log (the repos a user would have).
import {rmSync} from 'node:fs';
import {interleave, median, row, SPOR_BIN, sporEnv, tempDir, timeProcess} from './lib.mjs';
import {writeLog} from './history.mjs';

export const benchStartup = async ({rounds = 40} = {}) => {
  const home = tempDir('spor-bench-startup-');
  try {
    const env = sporEnv(home);
    writeLog(env.SPOR_HOME, 100);
    // The first runs build V8's code cache (in the temp XDG_CACHE_HOME) and the snapshots, as a
    // user's first command after installing would.
    for (let i = 0; i < 3; i += 1) timeProcess([SPOR_BIN, 'repos', 'list'], env);
    const s = await interleave(rounds, {
      spor: () => timeProcess([SPOR_BIN, 'repos', 'list'], env),
      node: () => timeProcess(['-e', '0'], env),
    });
    return [row(`start-up: spor repos list vs node -e 0 (${rounds} each)`, median(s.spor), median(s.node), 1.5)];
  } finally {
    rmSync(home, {recursive: true, force: true});
  }
};
