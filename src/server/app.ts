/**
 * @module server/app
 * The Fastify application: logging with a request id, limits, CORS, the rate limit per key, the
 * OpenAPI document and its reference page, one error shape, the auth hook, then every route file.
 * Nothing here answers a business question; routes call the tasks and the registry.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { installAuth, type RouteRole } from './auth.js';
import type { ServerConfig } from './config.js';
import type { KeyRing, ServerContext } from './context.js';
import type { ServerWarehouse } from './db-pool.js';
import { HttpError } from './errors.js';
import { logMaskingOptions } from './log-masking.js';
import type { ModelCache } from './model-cache.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { installClickHouseGate } from './engine-gate.js';
import { ROUTES } from './routes/index.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

export interface AppParts {
  readonly db: ServerWarehouse;
  readonly models: ModelCache;
  readonly keys: KeyRing;
  readonly config: ServerConfig;
  /** The store when it is a ClickHouse cluster (serve-clickhouse.ts). */
  readonly clickhouse?: ClickHouseStore;
}

/** A client's X-Request-Id is kept when it is a sane token, so logs join across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : `req_${randomUUID()}`;
}

/** A registered route as the auth matrix test and the docs list it. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly role: RouteRole;
}

export async function buildApp(parts: AppParts): Promise<{
  app: FastifyInstance;
  ctx: ServerContext;
  closing: (() => Promise<void>)[];
  routes: RouteInfo[];
}> {
  const { config } = parts;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Keys travel in this header; it must never reach a log line.
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
      ...logMaskingOptions(config.logPersonalData ?? false),
    },
    genReqId: requestId,
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
  });
  const closing: (() => Promise<void>)[] = [];
  const ctx: ServerContext = {
    db: parts.db,
    models: parts.models,
    keys: parts.keys,
    config,
    ...(parts.clickhouse ? { clickhouse: parts.clickhouse } : {}),
    log: app.log,
    onClose: (fn) => closing.push(fn),
  };

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/docs') || r.method === 'OPTIONS') return; // the reference page; CORS preflight
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, role: r.config?.role ?? 'public' });
    }
  });
  // The API speaks JSON only: a text body is refused with 415 instead of reaching a route as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    const { status, code, message, details, headers } = describeError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    for (const [k, v] of Object.entries(headers ?? {})) reply.header(k, v);
    return reply.code(status).send({
      error: { status, code, message, ...(details === undefined ? {} : { details }) },
      request_id: req.id,
    });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: {
        status: 404,
        code: 'not_found',
        message: `no route ${req.method} ${req.url.split('?')[0]} (see /docs)`,
      },
      request_id: req.id,
    }),
  );

  await app.register(cors, {
    origin: config.corsOrigins.length ? [...config.corsOrigins] : false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Shopsight API',
        version,
        description:
          'Recommendations, customer profiles, predictions and analytics for a store, and the events a storefront sends back. ' +
          'Every route under /v1 needs `Authorization: Bearer <key>` (create keys with `npx shopsight keys create --role read|ingest|admin`).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installAuth(app, parts.keys);
  if (parts.clickhouse) installClickHouseGate(app, parts.clickhouse.location);
  // After auth (preHandler), so the limit is counted per key, not per address behind one proxy.
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.apiKey ? `key:${req.apiKey.keyId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, c) =>
      new HttpError(
        429,
        'rate_limited',
        `more than ${c.max} requests a minute for this key: retry after ${Math.ceil(c.ttl / 1000)} s`,
        undefined,
        { 'Retry-After': String(Math.ceil(c.ttl / 1000)) },
      ),
  });

  app.get('/v1/openapi.json', { config: { role: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  for (const routes of ROUTES) await routes(app, ctx);
  return { app, ctx, closing, routes };
}

function describeError(err: FastifyError | HttpError): {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
} {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      details: err.details,
      headers: err.headers,
    };
  }
  if (err.validation) {
    return {
      status: 400,
      code: 'invalid_request',
      message: err.message,
      details: err.validation.map((v) => ({ path: v.instancePath || v.params, message: v.message })),
    };
  }
  const status = err.statusCode ?? 500;
  if (status >= 500)
    return { status: 500, code: 'internal_error', message: 'internal error (logged with this request id)' };
  const codes: Record<string, string> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
    FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  };
  const code = codes[err.code] ?? (err.name === 'SyntaxError' ? 'invalid_json' : 'bad_request');
  return { status, code, message: err.message };
}
