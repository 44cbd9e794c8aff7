import * as team from './001_team.js';
import * as groupWrite from './002_group_write.js';

/** Every migration, in the order they apply. Never edit one that has shipped: add the next. */
export const MIGRATIONS: ReadonlyArray<{id: string; sql: string}> = [team, groupWrite];
