import {readdirSync} from 'node:fs';
import type {TagDetector} from './api.js';

// Marker files at the top of a checkout, and the tag each suggests. Reading one directory
// listing is all detection costs; nothing is opened or run.
const MARKERS: ReadonlyArray<[tag: string, test: (name: string) => boolean]> = [
  ['node', (n) => n === 'package.json'],
  ['python', (n) => n === 'pyproject.toml' || n === 'requirements.txt'],
  ['go', (n) => n === 'go.mod'],
  ['rust', (n) => n === 'Cargo.toml'],
  ['terraform', (n) => n.endsWith('.tf')],
  ['ruby', (n) => n === 'Gemfile'],
  ['docker', (n) => n === 'Dockerfile'],
];

// Every detector asks about the same directory in turn: read it once.
let last: {dir: string; names: Array<string>} | undefined;
const listing = (dir: string): Array<string> => {
  if (last?.dir !== dir) {
    let names: Array<string> = [];
    try {
      names = readdirSync(dir);
    } catch {
      /* a missing checkout suggests nothing */
    }
    last = {dir, names};
  }
  return last.names;
};

/** One detector per marker, so a plugin can add its own beside them (and `plugins list` names them). */
export const markerDetectors: Array<TagDetector> = MARKERS.map(([tag, test]) => ({
  name: tag,
  detect: (dir: string) => (listing(dir).some(test) ? [tag] : []),
}));

/** The `detectors` point's check: what the repos plugin needs of a contributed item. */
export const detectorProblem = (x: Record<string, unknown>): string | undefined =>
  typeof x.detect === 'function' ? undefined : 'is not a tag detector {name, detect(dir)}';
