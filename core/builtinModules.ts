// Node built-ins that only some commands need are loaded on first use: a read-only command such
// as `spor repos list` should not pay to initialise crypto, net, zlib or child_process (which
// brings net and streams; see bench/startup).
let cryptoModule: typeof import('node:crypto') | undefined;
let netModule: typeof import('node:net') | undefined;
let zlibModule: typeof import('node:zlib') | undefined;
let childProcessModule: typeof import('node:child_process') | undefined;

export const nodeCrypto = (): typeof import('node:crypto') =>
  (cryptoModule ??= process.getBuiltinModule('node:crypto'));
export const nodeNet = (): typeof import('node:net') => (netModule ??= process.getBuiltinModule('node:net'));
export const nodeZlib = (): typeof import('node:zlib') => (zlibModule ??= process.getBuiltinModule('node:zlib'));
export const nodeChildProcess = (): typeof import('node:child_process') =>
  (childProcessModule ??= process.getBuiltinModule('node:child_process'));
