// The repos plugin's public surface: the only file other plugins may import.
import {point} from '../../core/index.js';

/** Suggests repo tags from a checkout (`spor repos tag <slug>` with no tags). */
export interface TagDetector {
  name: string;
  /** Tags suggested for the checkout at `dir`; must not write anything. */
  detect(dir: string): Promise<Array<string>> | Array<string>;
}

/** The extension point this plugin owns: tag detectors (`contributes: {detectors: [...]}`). */
export const DETECTORS = point<TagDetector>('detectors');
