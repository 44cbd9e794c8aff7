import type {TeamReader} from '../store/contract.js';
import type {NodeRecord, TokenRecord} from '../store/records.js';
import {bearerHash, viewerOf} from './auth.js';
import type {Viewer} from './route.js';

/** How many Authorization headers keep their hash (the tokens in use; the oldest goes first). */
const HEADERS_KEPT = 1024;

interface Verified {
  person: NodeRecord | undefined;
  agent: NodeRecord | undefined;
  viewer: Viewer;
  expiresMs: number;
}

/**
 * `authenticate` for every request of a server, without redoing what cannot have changed. The
 * token's hash is a pure function of the header, so a header seen lately is not parsed, checked
 * and hashed again. The viewer is rebuilt only when one of the records it was built from is not
 * the one the store answers now: a store that keeps records (the embedded one) replaces a record
 * whenever it changes — revoked, bound, touched, its person or agent rewritten or removed — so a
 * change always misses; a store that reads fresh records each time (PostgreSQL) always misses
 * and pays the whole check. The credential itself is read on every request, and the expiry is
 * checked against `now` on every request.
 */
export class Authenticator {
  private readonly hashes = new Map<string, string>();
  private readonly verified = new WeakMap<TokenRecord, Verified>();

  constructor(
    private readonly store: TeamReader,
    private readonly rootId: string,
  ) {}

  async viewer(header: string | undefined, now: Date): Promise<Viewer> {
    const kept = header === undefined ? undefined : this.hashes.get(header);
    const hash = kept ?? bearerHash(header);
    const cred = await this.store.credential(hash);
    const known = cred && this.verified.get(cred.token);
    if (known && known.person === cred.person && known.agent === cred.agent && known.expiresMs > now.getTime())
      return known.viewer;
    const checked = viewerOf(cred, now, this.rootId);
    const viewer = Object.freeze({...checked, by: Object.freeze(checked.by)});
    if (!cred) return viewer;
    this.verified.set(cred.token, {
      person: cred.person,
      agent: cred.agent,
      viewer,
      expiresMs: Date.parse(cred.token.expires),
    });
    // Only a header that named a token this server knows is kept: made-up ones cannot crowd out
    // the tokens in use. (The plaintext stays in this process's memory, where every request
    // brings it anyway; it is never logged or written.)
    if (kept === undefined && header !== undefined) {
      if (this.hashes.size >= HEADERS_KEPT) this.hashes.delete(this.hashes.keys().next().value as string);
      this.hashes.set(header, hash);
    }
    return viewer;
  }
}
