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
  /** The extension points it owns. */
  points: Array<string>;
  /** Registers services in the container (its tokens are the plugin's exports). */
  services: boolean;
  /** Per extension point (every point a loaded plugin owns, and any other it contributes to): item names. */
  [point: string]: Array<string> | number | boolean;
}

/** What `p` contributes; `points` names every point a loaded plugin owns, so each has a key (maybe `[]`). */
export const contributionsOf = (p: SporPlugin | undefined, points: Iterable<string>): Contributions => {
  const items: Record<string, Array<string>> = {};
  for (const point of points) items[point] = [];
  for (const [point, list] of Object.entries(p?.contributes ?? {})) items[point] = list.map((x) => x.name);
  return {
    commands: (p?.commands ?? []).flatMap(commandPaths),
    events: Object.keys(p?.events ?? {}),
    slices: (p?.projections ?? []).map((x) => x.name),
    reactions: p?.reactions?.length ?? 0,
    settings: (p?.settings ?? []).map((s) => s.key),
    points: Object.keys(p?.points ?? {}),
    ...items,
    services: p?.services !== undefined,
  };
};

const FIXED = new Set(['commands', 'events', 'slices', 'reactions', 'settings', 'points', 'services']);

/** `commands: a, b · events: x` — the non-empty parts, for one line of text. */
export const describeContributions = (c: Contributions): Array<string> => {
  const list = (key: string, label = key): string => {
    const v = c[key] as Array<string>;
    return v.length > 0 ? `${label}: ${v.map((x) => (x === '' ? '(default)' : x)).join(', ')}` : '';
  };
  return [
    list('commands'),
    list('events'),
    list('slices'),
    c.reactions > 0 ? `reactions: ${c.reactions}` : '',
    list('settings'),
    list('points', 'extension points'),
    ...Object.keys(c)
      .filter((k) => !FIXED.has(k))
      .map((k) => list(k)),
    c.services ? 'services: yes' : '',
  ].filter((s) => s !== '');
};
