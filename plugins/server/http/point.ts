import {point} from '../../../core/index.js';
import type {SomeRoute} from './route.js';

/**
 * The extension point this plugin owns: the HTTP routes `spor serve` answers. A plugin adds some
 * with `contributes: {routes: [defineRoute({name: 'GET /v1/…', schema, handle})]}`.
 */
export const ROUTES = point<SomeRoute>('routes');
