/** Time arithmetic the routes share, on ISO strings and milliseconds. */

export const DAY_MS = 24 * 60 * 60 * 1000;

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS};

/** `30m`, `12h`, `7d`, `1500ms` or a bare number of milliseconds; undefined when it is none of them. */
export const parseDuration = (text: string): number | undefined => {
  const m = /^(\d{1,12})(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number);
  return Number.isSafeInteger(ms) ? ms : undefined;
};

/**
 * A token expiry as a client gives it: `<N>d` or an ISO date (or date-time). Returns the instant,
 * or a reason it is not acceptable: past `cap` from now or not in the future (rejected, never clamped).
 */
export const parseExpiry = (
  text: string,
  now: Date,
  capMs: number,
): {ok: true; at: Date} | {ok: false; reason: string} => {
  let at: Date;
  const days = /^(\d{1,6})d$/.exec(text.trim());
  if (days) at = new Date(now.getTime() + Number(days[1]) * DAY_MS);
  else if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    at = new Date(text.trim());
    if (Number.isNaN(at.getTime())) return {ok: false, reason: `'${text}' is not a date`};
  } else return {ok: false, reason: `'${text}' is neither <N>d nor an ISO date`};
  if (at.getTime() <= now.getTime()) return {ok: false, reason: `'${text}' is not in the future`};
  if (at.getTime() > now.getTime() + capMs)
    return {ok: false, reason: `'${text}' is past the cap of ${Math.round(capMs / DAY_MS)} days`};
  return {ok: true, at};
};

// The last two instants formatted: a busy server formats the same millisecond for several fields
// and requests (a claim: now, the lease's end, now again), and toISOString costs about as much as
// deciding the claim's lease.
let ms0 = Number.NaN;
let text0 = '';
let ms1 = Number.NaN;
let text1 = '';

/** The ISO 8601 form of an instant (epoch milliseconds or a Date). */
export const iso = (at: number | Date): string => {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (ms === ms0) return text0;
  if (ms === ms1) return text1;
  ms1 = ms0;
  text1 = text0;
  ms0 = ms;
  text0 = new Date(ms).toISOString();
  return text0;
};
