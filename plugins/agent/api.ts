// The agent plugin's public surface: the only file other plugins may import.

/**
 * The setting naming the agent node this machine dispatches as (empty: person-scoped). Its machine
 * value is what `spor agent use` recorded (`agent-used`, in this plugin's `agent` slice); the old
 * name `dispatch.agent` is still read.
 */
export const AGENT_KEY = 'agent.current';

/** The workload identity an agent runs under (the team server mints it the same way). */
export {identityOf} from './decide.js';

/** The pure draft of `spor agent use`, for a flow that records the choice in a batch of its own. */
export {useAgent} from './decide.js';
