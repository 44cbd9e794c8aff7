import {AXES} from './axes.js';
import type {CapabilityItem, EffectiveView} from './effective.js';
import type {ProbeResult} from './events.js';

/**
 * What a prober said of an item: `2.0.14 at /usr/bin/claude`, `version unknown at /x (from
 * harness.codex.binary) — --version exited 3`, `… 98 flags` (the list itself is in `--json`), plus
 * any other facts as `k=v`.
 */
export const describeFacts = (facts: Record<string, string> | undefined): string => {
  if (!facts) return '';
  // Why the help listed no flags is for --json readers: a harness that has no --help is common.
  const {version, path, via, version_error: versionError, flags, flags_error: _flagsError, ...rest} = facts;
  const head = path !== undefined ? `${version ?? 'version unknown'} at ${path}` : version;
  const counted = flags !== undefined ? `${flags.split(' ').length} flags` : undefined;
  const parts = [
    head,
    via ? `(from ${via})` : undefined,
    counted,
    ...Object.entries(rest).map(([k, v]) => `${k}=${v}`),
  ].filter((p): p is string => p !== undefined && p !== '');
  return `${parts.join(' ')}${versionError ? ` — ${versionError}` : ''}`;
};

const sourcesOf = (item: CapabilityItem): string =>
  [
    ...(item.declared ? ['declared'] : []),
    ...item.probes.map((p) => {
      const facts = describeFacts(p.facts);
      return `probed by ${p.prober}${facts ? `: ${facts}` : ''}`;
    }),
  ].join('; ');

const EMPTY_HINT: Record<string, string> = {
  harnesses: 'install one, or declare one with `spor capabilities add harnesses <name>`',
  reachable_mcp: 'declare one with `spor capabilities allow-mcp <name>`',
  skills: 'declare one with `spor capabilities add skills <name>`',
  plugins: 'declare one with `spor capabilities add plugins <name>`',
};

/** The effective map as text: per axis each item and where it came from, then the deny list and the probe. */
export const renderView = (view: EffectiveView): Array<string> => {
  const lines: Array<string> = [];
  for (const axis of AXES) {
    lines.push(axis);
    const items = view.items[axis];
    if (items.length === 0) {
      lines.push(`  (none) — ${EMPTY_HINT[axis]}`);
      continue;
    }
    const width = Math.max(...items.map((i) => i.value.length));
    for (const item of items) lines.push(`  ${item.value.padEnd(width)}  ${sourcesOf(item)}`);
  }
  lines.push('deny');
  lines.push(view.capabilities.deny.length === 0 ? '  (none)' : `  ${view.capabilities.deny.join(', ')}`);
  if (view.probe === null) {
    lines.push('no probe on record; run `spor capabilities probe`');
  } else {
    const failed = view.probe.results.filter((r) => !r.ok);
    const failures =
      failed.length === 0 ? '' : `; failed: ${failed.map((r) => `${r.prober} (${r.error ?? 'failed'})`).join(', ')}`;
    lines.push(
      `probed ${view.probe.at} by ${view.probe.results.length} probers${failures}; re-probe with \`spor capabilities probe\``,
    );
  }
  return lines;
};

/** What one prober found, in a few words. */
const foundBy = (r: ProbeResult): string => {
  const parts = AXES.flatMap((axis) => {
    const values = r.finding?.[axis] ?? [];
    if (values.length === 0) return [];
    return [
      `${axis}: ${values
        .map((v) => {
          const facts = describeFacts(r.finding?.facts?.[v]);
          return facts ? `${v} (${facts})` : v;
        })
        .join(', ')}`,
    ];
  });
  return parts.length === 0 ? 'found nothing' : parts.join('; ');
};

/** One line per prober: name, ok/failed, what it found or why it failed, how long it took. */
export const renderProbe = (results: ReadonlyArray<ProbeResult>): Array<string> => {
  if (results.length === 0) return ['no probers are registered; add a harness plugin (see `spor plugins list`)'];
  const width = Math.max(...results.map((r) => r.prober.length));
  return results.map(
    (r) =>
      `${r.prober.padEnd(width)}  ${r.ok ? 'ok    ' : 'failed'}  ${r.ok ? foundBy(r) : (r.error ?? 'failed')}  (${r.duration_ms}ms)`,
  );
};
