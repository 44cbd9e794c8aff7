import type {Writable} from 'node:stream';
import type {FastifyError, FastifyInstance, FastifyReply, FastifyRequest} from 'fastify';
import {TOUCH_EVERY_MS, touchToken} from '../domain/tokens.js';
import {Authenticator} from './authCache.js';
import {VersionConflict} from '../store/contract.js';
import {ApiError, envelope} from './errors.js';
import {routeTarget, type RouteServices, type SomeRoute, type Viewer} from './route.js';

/** Limits a team server holds every client to. */
export interface HttpLimits {
  /** Largest request body (413 `too_large` past it). */
  bodyLimit: number;
  /** Time to receive a request's headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Requests per token (per address without one) per window; 429 `rate_limited` with Retry-After past it. */
  rateLimit: {max: number; windowMs: number};
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyLimit: 1 << 20,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  rateLimit: {max: 1200, windowMs: 60_000},
};

const NOBODY: Viewer = {
  kind: 'none',
  person: '',
  name: '',
  session: null,
  isAdmin: false,
  by: {author: '', via: 'rest'},
};

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyContextConfig {
    spor?: {name: string; public: boolean; invalid: string};
  }
}

/** Fastify's own errors, as the contract's envelope. */
const fromFastify = (error: FastifyError): ApiError | undefined => {
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return new ApiError(
      422,
      'invalid_request',
      `the ${where} is not valid: ${error.validation[0]?.message ?? 'see details'}`,
      error.validation.map((v) => ({where, path: v.instancePath, message: v.message ?? 'invalid'})),
    );
  }
  switch (error.statusCode) {
    case 413:
      return new ApiError(413, 'too_large', 'the request body is too large');
    case 415:
      return new ApiError(415, 'unsupported_media_type', 'send JSON (Content-Type: application/json)');
    case 429:
      return new ApiError(429, 'rate_limited', error.message || 'too many requests; retry later');
    case 400:
      return new ApiError(
        400,
        'bad_request',
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'the request says it has a JSON body but has none'
          : 'the request body is not valid JSON, or holds a __proto__ or constructor key',
      );
    default:
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? new ApiError(error.statusCode, 'bad_request', 'the request could not be read')
        : undefined;
  }
};

export interface AppOptions {
  routes: ReadonlyArray<SomeRoute>;
  services: RouteServices;
  limits: HttpLimits;
  /** Where the structured request log goes (JSON lines); none: no log. */
  log?: Writable;
}

/**
 * The HTTP face of the team server: one Fastify route per contributed route, each with its schema
 * (closed objects, no coercion), bearer auth before anything is read, a per-token rate limit, and
 * every failure as the contract's envelope — never a stack trace.
 */
export const buildApp = async (
  opts: AppOptions,
): Promise<{app: FastifyInstance; routes: Array<{method: string; url: string; public: boolean}>}> => {
  const [fastify, {default: rateLimit}] = await Promise.all([import('fastify'), import('@fastify/rate-limit')]);
  const Fastify = fastify.default;
  const {limits, services} = opts;
  const app = Fastify({
    logger: opts.log
      ? {
          level: 'info',
          stream: opts.log,
          // Only what is named here is logged: never headers (the bearer token), bodies or queries.
          serializers: {req: () => ({}), res: () => ({})},
        }
      : false,
    // One line per request is written by the onResponse hook below, with what it chooses.
    logController: new fastify.LogController({disableRequestLogging: true}),
    bodyLimit: limits.bodyLimit,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // How often Node looks for connections past those timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    requestTimeout: limits.requestTimeoutMs,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    ajv: {customOptions: {removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false}},
  });
  app.decorateRequest('viewer', null);
  // What the server answers, as Fastify registered it (tests walk every route from this).
  const registered: Array<{method: string; url: string; public: boolean}> = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method])
      if (method !== 'HEAD') registered.push({method, url: r.url, public: r.config?.spor?.public === true});
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let api =
      error instanceof ApiError
        ? error
        : error instanceof VersionConflict
          ? new ApiError(409, 'conflict', 'the write raced with others and lost several times; retry it')
          : fromFastify(error);
    if (api?.code === 'invalid_request' && request.routeOptions.config.spor)
      api = new ApiError(api.status, request.routeOptions.config.spor.invalid, api.message, api.details);
    if (!api) {
      request.log.error({err: {type: error.name, message: error.message, stack: error.stack}}, 'internal error');
      api = new ApiError(500, 'internal', `internal error (request ${request.id})`);
    }
    void reply.code(api.status).send(envelope(api.code, api.message, api.details));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(envelope('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Both hooks below are attached to the routes that need them rather than to every request: a
  // global hook has to ask which route it runs for, and Fastify builds `request.routeOptions`
  // anew on every read.
  const auth = new Authenticator(services.store, services.policy.rootId);
  const authenticateRequest = async (request: FastifyRequest): Promise<void> => {
    const now = services.clock.now();
    request.viewer = await auth.viewer(request.headers.authorization, now);
    const token = request.viewer.token;
    if (token && (token.last_used === undefined || now.getTime() - Date.parse(token.last_used) >= TOUCH_EVERY_MS))
      // Not awaited: the request does not wait for the bookkeeping, and its failure is no concern of the caller.
      touchToken(services.store, token.hash, now).catch((e: unknown) =>
        request.log.warn({err: {message: e instanceof Error ? e.message : String(e)}}, 'last_used not recorded'),
      );
  };
  // Routes whose body is all optional may be called with none. (A callback hook: it does no I/O,
  // and an async one costs every request a promise.)
  const emptyBody = (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    if (request.body === undefined) request.body = {};
    done();
  };
  if (opts.log)
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          path: request.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          ...(request.viewer ? {person: request.viewer.person, agent: request.viewer.agent} : {}),
        },
        'request',
      );
    });

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: limits.rateLimit.max,
    timeWindow: limits.rateLimit.windowMs,
    keyGenerator: (request) => request.viewer?.token?.hash ?? request.ip,
    // Only a refused request says how long to wait (Retry-After); the others carry no rate headers.
    addHeadersOnExceeding: {'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false},
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `too many requests; retry in ${context.after}`),
  });

  for (const route of opts.routes) {
    const {method, url} = routeTarget(route.name);
    const schema = route.schema();
    app.route({
      method,
      url,
      schema,
      config: {spor: {name: route.name, public: route.public === true, invalid: route.invalid ?? 'invalid_request'}},
      ...(route.public === true ? {} : {onRequest: authenticateRequest}),
      ...(schema.body ? {preValidation: emptyBody} : {}),
      handler: async (request, reply) => {
        const result = await route.handle(
          {
            viewer: request.viewer ?? NOBODY,
            body: request.body as never,
            params: request.params as never,
            query: request.query as never,
            now: services.clock.now(),
          },
          services,
        );
        if (result.headers) void reply.headers(result.headers);
        return reply.code(result.status ?? 200).send(result.body);
      },
    });
  }
  return {app, routes: registered};
};
