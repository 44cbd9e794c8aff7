import {definePlugin} from '../../core/index.js';
import {ServeCommand} from './commands/serve.js';
import {teamEvents} from './events.js';
import {ROUTES} from './http/point.js';
import {routeProblem} from './http/routes.js';
import {agentRoutes} from './routes/agents.js';
import {claimRoutes} from './routes/claims.js';
import {fleetRoutes} from './routes/fleet.js';
import {identityRoutes} from './routes/identity.js';
import {nodeRoutes} from './routes/nodes.js';

export default definePlugin({
  name: 'server',
  version: '0.1.0',
  commands: [ServeCommand],
  events: teamEvents,
  settings: [
    {key: 'serve.port', type: 'number', default: 7420, description: 'the port `spor serve` listens on'},
    {key: 'serve.host', type: 'string', default: '127.0.0.1', description: 'the address `spor serve` listens on'},
    {
      key: 'serve.store',
      type: 'string',
      default: 'embedded',
      description: "the team server's store: embedded (the event log under SPOR_HOME) or postgres://…",
    },
    {key: 'serve.claimTtl', type: 'duration', default: '45m', description: "a claim's lease, renewed by heartbeats"},
    {
      key: 'serve.claimTtlMax',
      type: 'duration',
      default: '8h',
      description: 'the furthest `extend` may push a lease from now (claim_ttl_max)',
    },
    {
      key: 'serve.rateLimit',
      type: 'number',
      default: 1200,
      description: 'requests per minute per token (429 past it)',
    },
  ],
  points: {
    [ROUTES.name]: {description: 'HTTP routes `spor serve` answers', check: routeProblem},
  },
  contributes: {
    [ROUTES.name]: [...identityRoutes, ...agentRoutes, ...fleetRoutes, ...claimRoutes, ...nodeRoutes],
  },
});
