// The repos plugin's public surface: the only file other plugins may import.
import {point, token} from '../../core/index.js';

/** Suggests repo tags from a checkout (`spor repos tag <slug>` with no tags). */
export interface TagDetector {
  name: string;
  /** Tags suggested for the checkout at `dir`; must not write anything. */
  detect(dir: string): Promise<Array<string>> | Array<string>;
}

/** The extension point this plugin owns: tag detectors (`contributes: {detectors: [...]}`). */
export const DETECTORS = point<TagDetector>('detectors');

/** This machine's repo map, for another plugin's flow. */
export interface ReposService {
  /**
   * Maps `slug` to `path` when the slug is not mapped yet (a dispatch registers the checkout it
   * used); a mapped slug is left as it is. Appends `repo-added` when it maps; returns whether it did.
   */
  registerIfNew(slug: string, path: string): Promise<boolean>;
}

/** Provided by the `repos` plugin. */
export const REPOS = token<ReposService>('spor.repos.Repos');

/** Refuses what cannot be a repo slug (exit 2): every command that takes a slug checks it first. */
/** Pure draft helpers, for a flow that maps repos in a batch of its own (the home import). */
export {checkSlug, addRepo, SLUG} from './decide.js';
export type {ReposState} from './projection.js';
