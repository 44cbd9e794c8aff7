// The server plugin's public surface: the only file other plugins may import.
export {startServer, DEFAULT_POLICY, type ServerOptions, type RunningServer} from './server.js';
export {openStore} from './store/open.js';
export {initAdmin} from './domain/admin.js';
export type {TeamStore, TeamReader, TeamTx} from './store/contract.js';
export type {TeamNode, NodeRecord, TokenRecord, LeaseRecord, CapabilitiesRecord} from './store/records.js';
export {
  defineRoute,
  type RouteContribution,
  type RouteRequest,
  type RouteResult,
  type RouteServices,
  type ServerPolicy,
  type Viewer,
} from './http/route.js';
export {ApiError} from './http/errors.js';
export {ROUTES} from './http/point.js';
export {PAT_PREFIX, isPlausiblePat} from './pat.js';
