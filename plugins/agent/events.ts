import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

/** This machine now dispatches as `agent` (an agent node id), or person-scoped again when null. */
export type AgentUsed = SporEvent<'agent-used', 1, {agent: string | null}>;

declare module '../../core/events.js' {
  interface SporEventMap {
    'agent-used': AgentUsed;
  }
}

export const agentEvents = defineEvents<AgentUsed>({
  'agent-used': {
    v: 1,
    data: t.isObject({agent: t.isNullable(t.isString())}),
    hookEnv: (d) => ({SPOR_AGENT: d.agent ?? ''}),
    summary: (d) => (d.agent === null ? 'dispatch is person-scoped again' : `dispatch runs as ${d.agent}`),
  },
});
