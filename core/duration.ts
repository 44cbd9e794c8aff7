const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** Parses `500ms`, `30s`, `2m`, `1h` (a bare number is seconds) into milliseconds, or undefined. */
export const parseDuration = (text: string): number | undefined => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
};

export const formatDuration = (ms: number): string =>
  ms % 3_600_000 === 0
    ? `${ms / 3_600_000}h`
    : ms % 60_000 === 0
      ? `${ms / 60_000}m`
      : ms % 1000 === 0
        ? `${ms / 1000}s`
        : `${ms}ms`;
