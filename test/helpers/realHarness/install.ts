import {inject} from 'vitest';

/** One real CLI as test/harnesses/ensure.mjs found it. */
export type HarnessStatus = {ok: true; bin: string; version: string} | {ok: false; reason: string};

export type HarnessName = 'claude' | 'codex';

/** What the tier's global setup installed (ensure.mjs --json). */
export interface HarnessInstall {
  binDir: string;
  installMs?: number;
  harnesses: Record<HarnessName, HarnessStatus>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    harnesses: HarnessInstall;
  }
}

export const harnessInstall = (): HarnessInstall => inject('harnesses');

/** The installed binary; only call it in a test that `skipIf(!available(name))`. */
export const harnessBin = (name: HarnessName): string => {
  const h = harnessInstall().harnesses[name];
  if (!h.ok) throw new Error(`${name} is not installed: ${h.reason}`);
  return h.bin;
};

/** Whether the pinned CLI is runnable here (when not, the tier's banner said why). */
export const available = (name: HarnessName): boolean => harnessInstall().harnesses[name].ok;
