import type {SporEvent, Projection} from '../../core/index.js';
import type {AgentUsed} from './events.js';

/**
 * The agent this machine dispatches as, as `spor agent use` recorded it: an agent node id, `''`
 * after `--clear`, absent when never chosen. The settings plugin reads it as the machine value of
 * `agent.current` (a recorded setting), so a flag or `SPOR_AGENT_CURRENT` still overrides it.
 */
export interface AgentState {
  current?: string;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    agent: AgentState;
  }
}

export const agentProjection: Projection<AgentState> = {
  name: 'agent',
  version: 1,
  on: ['agent-used'],
  initial: () => ({}),
  apply: (state, event: SporEvent) => {
    const e = event as AgentUsed;
    return e.type === 'agent-used' ? {current: e.data.agent ?? ''} : state;
  },
};
