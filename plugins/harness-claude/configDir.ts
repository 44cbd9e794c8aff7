import {homedir} from 'node:os';
import {isAbsolute, join} from 'node:path';

/** Claude Code's configuration directory: `CLAUDE_CONFIG_DIR` when set (absolute), else `~/.claude`. */
export const claudeConfigDir = (env: NodeJS.ProcessEnv): string => {
  const configured = env.CLAUDE_CONFIG_DIR?.trim();
  if (configured && isAbsolute(configured)) return configured;
  return join(env.HOME || homedir(), '.claude');
};
