// Node built-ins that only some commands need are loaded on first use: a read-only command such
// as `spor repos list` should not pay to initialise crypto, net or zlib (see bench/startup).
let cryptoModule: typeof import('node:crypto') | undefined;
let netModule: typeof import('node:net') | undefined;
let zlibModule: typeof import('node:zlib') | undefined;

export const nodeCrypto = (): typeof import('node:crypto') => (cryptoModule ??= process.getBuiltinModule('node:crypto'));
export const nodeNet = (): typeof import('node:net') => (netModule ??= process.getBuiltinModule('node:net'));
export const nodeZlib = (): typeof import('node:zlib') => (zlibModule ??= process.getBuiltinModule('node:zlib'));
