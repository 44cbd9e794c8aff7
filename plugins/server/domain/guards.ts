import {forbidden, invalid} from '../http/errors.js';
import type {ServerPolicy, Viewer} from '../http/route.js';
import {parseExpiry} from '../duration.js';

/** Token and identity administration takes a person's own token, never an agent's. */
export const needPerson = (viewer: Viewer): Viewer => {
  if (viewer.kind !== 'person') throw forbidden('this needs a person token (an agent token cannot manage identities)');
  return viewer;
};

/** Admin routes: a person token whose person stewards the graph root. */
export const needAdmin = (viewer: Viewer, policy: ServerPolicy): Viewer => {
  needPerson(viewer);
  if (!viewer.isAdmin) throw forbidden(`this is admin-only (a 'stewards' edge to '${policy.rootId}')`);
  return viewer;
};

/** A requested expiry, or the default (the cap); past the cap or not in the future is a 422. */
export const expiryOf = (requested: string | undefined, now: Date, capMs: number): Date => {
  if (requested === undefined) return new Date(now.getTime() + capMs);
  const parsed = parseExpiry(requested, now, capMs);
  if (!parsed.ok) throw invalid(`expires: ${parsed.reason}`, [{field: 'expires', reason: parsed.reason}]);
  return parsed.at;
};
