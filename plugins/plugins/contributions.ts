import {type SporPlugin, commandPaths} from '../../core/index.js';

/** What one plugin adds to spor, as `spor plugins list` shows it. */
export interface Contributions {
  /** CLI paths, space-joined (`repos add`); `''` is a default command. */
  commands: Array<string>;
  events: Array<string>;
  /** State slices (projection names). */
  slices: Array<string>;
  reactions: number;
  settings: Array<string>;
  /** Capability probers, repo tag detectors and harness launch adapters, by name. */
  probers: Array<string>;
  detectors: Array<string>;
  harnesses: Array<string>;
  /** Registers services in the container (its tokens are the plugin's exports). */
  services: boolean;
}

export const contributionsOf = (p: SporPlugin | undefined): Contributions => ({
  commands: (p?.commands ?? []).flatMap(commandPaths),
  events: Object.keys(p?.events ?? {}),
  slices: (p?.projections ?? []).map((x) => x.name),
  reactions: p?.reactions?.length ?? 0,
  settings: (p?.settings ?? []).map((s) => s.key),
  probers: (p?.probers ?? []).map((x) => x.name),
  detectors: (p?.detectors ?? []).map((x) => x.name),
  harnesses: (p?.harnesses ?? []).map((x) => x.name),
  services: p?.services !== undefined,
});

/** `commands: a, b · events: x` — the non-empty parts, for one line of text. */
export const describeContributions = (c: Contributions): Array<string> =>
  [
    c.commands.length > 0 ? `commands: ${c.commands.map((x) => (x === '' ? '(default)' : x)).join(', ')}` : '',
    c.events.length > 0 ? `events: ${c.events.join(', ')}` : '',
    c.slices.length > 0 ? `slices: ${c.slices.join(', ')}` : '',
    c.reactions > 0 ? `reactions: ${c.reactions}` : '',
    c.settings.length > 0 ? `settings: ${c.settings.join(', ')}` : '',
    c.probers.length > 0 ? `probers: ${c.probers.join(', ')}` : '',
    c.detectors.length > 0 ? `detectors: ${c.detectors.join(', ')}` : '',
    c.harnesses.length > 0 ? `harnesses: ${c.harnesses.join(', ')}` : '',
    c.services ? 'services: yes' : '',
  ].filter((s) => s !== '');
