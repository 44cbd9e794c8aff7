import {createHash, randomBytes} from 'node:crypto';

/**
 * Personal access tokens: `spor_pat_` + 32 random base62 characters + a 6-character base62
 * CRC-32 of them. The checksum lets a server (or a secret scanner) refuse a mistyped or made-up
 * token without looking anything up; only the SHA-256 of a token is ever stored.
 */
export const PAT_PREFIX = 'spor_pat_';
const BODY = 32;
const CHECK = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPE = new RegExp(`^${PAT_PREFIX}[0-9A-Za-z]{${BODY + CHECK}}$`);

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

const crc32 = (text: string): number => {
  let c = ~0;
  for (let i = 0; i < text.length; i += 1) c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
};

const base62 = (value: number, width: number): string => {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i += 1) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
};

/** A fresh token (shown once to whoever asked for it, then only its hash is kept). */
export const newPat = (): string => {
  // Rejection sampling keeps every character uniform (256 is not a multiple of 62).
  let body = '';
  while (body.length < BODY) {
    for (const byte of randomBytes(BODY * 2)) {
      if (byte < 248 && body.length < BODY) body += ALPHABET[byte % 62];
    }
  }
  return `${PAT_PREFIX}${body}${base62(crc32(body), CHECK)}`;
};

/** Well-formed with a checksum that matches: worth looking up. Costs no I/O. */
export const isPlausiblePat = (token: string): boolean => {
  if (!SHAPE.test(token)) return false;
  const body = token.slice(PAT_PREFIX.length, PAT_PREFIX.length + BODY);
  return token.slice(PAT_PREFIX.length + BODY) === base62(crc32(body), CHECK);
};

/** The SHA-256 (hex) of a token: what the store keys tokens by. */
export const hashPat = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The part of a hash that listings show and revocations name. */
export const HASH_PREFIX_LENGTH = 12;
export const hashPrefix = (hash: string): string => hash.slice(0, HASH_PREFIX_LENGTH);
