import {spawn, type ChildProcessByStdio} from 'node:child_process';
import {join} from 'node:path';
import type {Readable, Writable} from 'node:stream';
import {ROOT} from './runSpor.js';

export const STORE_WORKER = join(ROOT, 'test', 'helpers', 'storeWorker.mjs');

/** A running storeWorker.mjs child, reading its stdout line by line. */
export interface Worker {
  name: string;
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Every complete stdout line so far. */
  lines: Array<string>;
  /** The next line not yet taken by next(); rejects if the child exits first. */
  next(): Promise<string>;
  stderr(): string;
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

/** Starts a store worker (a real node process, run without a shell, with a minimal environment). */
export const startWorker = (args: Array<string>, name: string, opts: {wrapper?: Array<string>} = {}): Worker => {
  // A wrapper (e.g. `unshare -n`) runs the worker inside it: still no shell.
  const [command, ...before] = [...(opts.wrapper ?? []), process.execPath];
  const child = spawn(command as string, [...before, STORE_WORKER, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC'},
  });
  const lines: Array<string> = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  let partial = '';
  let err = '';
  let done = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    wake?.();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
    child.once('close', (code, signal) => {
      done = true;
      wake?.();
      resolve({code, signal});
    });
  });
  const next = async (): Promise<string> => {
    while (taken >= lines.length) {
      if (done) throw new Error(`worker ${name} ended without another line: ${err}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    taken += 1;
    return lines[taken - 1] as string;
  };
  return {name, child, lines, next, stderr: () => err, exited};
};
