import {nodeCrypto} from './builtinModules.js';

/** Where "now" comes from; tests inject a fixed clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = {now: () => new Date()};

/** Where new ids come from; tests inject a counter. */
export interface IdSource {
  next(): string;
}
export const randomIds: IdSource = {next: () => nodeCrypto().randomUUID()};
