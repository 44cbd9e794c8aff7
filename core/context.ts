import type {BaseContext} from 'clipanion';
import type {Container} from './di.js';

/** What every spor command sees as `this.context`. */
export interface SporContext extends BaseContext {
  container: Container;
  cwd: string;
}
