import {formatDuration} from '../../core/index.js';
import type {HookEntry} from './projection.js';

// Arguments are shown as a user would type them back, so spaces stay visible.
const shown = (arg: string): string => (arg === '' || /[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg);

/** `/path/to/script arg1 "two words"` */
export const commandLine = (h: Pick<HookEntry, 'path' | 'args'>): string => [h.path, ...h.args].map(shown).join(' ');

/** `30s` or `hooks.timeout` when the hook follows the setting. */
export const timeoutLabel = (h: Pick<HookEntry, 'timeout_ms'>): string =>
  h.timeout_ms === null ? 'hooks.timeout' : formatDuration(h.timeout_ms);
