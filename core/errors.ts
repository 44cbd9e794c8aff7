import type {Writable} from 'node:stream';
import {printable} from './printable.js';

export interface SporErrorOptions {
  /** One line telling the user how to fix it. */
  hint?: string;
  exitCode?: 1 | 2;
  /** A stable code (`E_REPO_UNKNOWN`) for users to search and tests to match; never reused. */
  code?: string;
  cause?: unknown;
}

/** The one error type spor prints as `spor: <message>` plus a hint, with its own exit code. */
export class SporError extends Error {
  readonly hint?: string;
  readonly exitCode: 1 | 2;
  readonly code?: string;
  constructor(message: string, opts: SporErrorOptions = {}) {
    super(message, {cause: opts.cause});
    this.name = new.target.name;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
    this.code = opts.code;
  }
}

/** Bad invocation: wrong arguments or values. Exit 2. */
export class UsageError extends SporError {
  constructor(message: string, opts: Omit<SporErrorOptions, 'exitCode'> = {}) {
    super(message, {...opts, exitCode: 2});
  }
}

/** A valid request spor will not carry out (unknown slug, in flight, …). Exit 1. */
export class RefusalError extends SporError {}

/** Another writer appended first (expected-seq mismatch). Retried by the host before surfacing. */
export class ConflictError extends SporError {
  constructor(
    readonly expectedSeq: number,
    readonly actualSeq: number,
  ) {
    super(`the event log moved on (expected seq ${expectedSeq}, found ${actualSeq})`, {
      code: 'E_CONFLICT',
      hint: 'run the command again',
    });
  }
}

/** The event log cannot be read or written safely. */
export class StoreError extends SporError {
  constructor(message: string, opts: SporErrorOptions = {}) {
    super(message, {hint: 'run `spor doctor` for details', ...opts});
  }
}

const isClipanionError = (e: unknown): e is Error & {clipanion: {type: string}} =>
  typeof e === 'object' && e !== null && 'clipanion' in e;

/**
 * Prints an error the spor way on `stderr` and returns the exit code: a SporError's own code,
 * 2 for clipanion usage errors, 1 for anything unexpected (stack only with SPOR_DEBUG=1).
 */
export const report = (stderr: Writable, error: unknown, env: NodeJS.ProcessEnv = process.env): 1 | 2 => {
  if (error instanceof SporError) {
    // One line each, whatever the message quotes (a value with a newline, an escape sequence).
    stderr.write(`spor: ${printable(error.message)}\n`);
    if (error.hint) stderr.write(`  hint: ${printable(error.hint)}\n`);
    if (env.SPOR_DEBUG === '1' && error.stack) stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  if (isClipanionError(error)) {
    const lines = error.message
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '');
    stderr.write(`spor: ${printable(lines[0] ?? 'invalid usage')}\n`);
    for (const l of lines.slice(1)) stderr.write(`  ${printable(l.trim())}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`spor: internal error: ${printable(message)}\n`);
  if (env.SPOR_DEBUG === '1' && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  else stderr.write(`  hint: run again with SPOR_DEBUG=1 for the stack trace\n`);
  return 1;
};
