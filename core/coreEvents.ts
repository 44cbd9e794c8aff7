import * as t from 'typanion';
import {defineEvents, type SporEvent} from './events.js';

// The one event type the core owns: the bus records a reaction that threw, so the failure is in
// the history next to the event that triggered it.
export type ReactionFailed = SporEvent<
  'reaction-failed',
  1,
  {plugin: string; reaction: string; event_id: string; event_type: string; error: string}
>;

declare module './events.js' {
  interface SporEventMap {
    'reaction-failed': ReactionFailed;
  }
}

export const coreEvents = defineEvents<ReactionFailed>({
  'reaction-failed': {
    v: 1,
    data: t.isObject({
      plugin: t.isString(),
      reaction: t.isString(),
      event_id: t.isString(),
      event_type: t.isString(),
      error: t.isString(),
    }),
    summary: (d) => `${d.plugin}/${d.reaction} failed on ${d.event_type}: ${d.error}`,
  },
});
