/**
 * @module server/engine-gate
 * When the store is a ClickHouse cluster, only the routes built for it run (`config.clickhouse:
 * true`, listed in CLICKHOUSE_ROUTES); every other route answers 501 `not_on_clickhouse` naming the
 * engine and the routes that do run, after authentication (401/403 first, as everywhere) and before
 * its body is parsed or any of its code runs: never a DuckDB query sent to ClickHouse, never a wrong
 * answer. Also the ServerWarehouse such a server holds: its reads and its registry writes get the
 * ClickHouseStore, which the routes built for ClickHouse hand to a per-engine function
 * (server/engine-reads.ts, the registry's model-store.ts); a dedicated connection is refused.
 */
import type { FastifyInstance } from 'fastify';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { ServerWarehouse } from './db-pool.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route runs when the store is a ClickHouse cluster (engine-gate.ts). */
    clickhouse?: boolean;
  }
}

/** The routes that run on ClickHouse, as the refusal lists them (each has `config.clickhouse: true`). */
export const CLICKHOUSE_ROUTES = [
  'POST /v1/events',
  'GET /healthz',
  'GET /v1/me',
  'GET /',
  'GET /app/*',
  'GET /assets/:file',
  'GET /v1/analytics/range',
  'GET /v1/analytics/kpis',
  'GET /v1/analytics/series',
  'GET /v1/analytics/countries',
  'GET /v1/analytics/categories',
  'GET /v1/analytics/products',
  'GET /v1/analytics/cohorts',
  'GET /v1/analytics/funnel',
  'GET /v1/segments',
  'GET /v1/recommendations/user/:id',
  'GET /v1/recommendations/item/:id',
  'GET /v1/recommendations/item/:id/together',
  'POST /v1/recommendations/session',
  'GET /v1/models',
  'POST /v1/admin/promote',
  'POST /v1/admin/rollback',
  'POST /v1/admin/keys',
  'GET /v1/admin/keys',
  'DELETE /v1/admin/keys/:id',
  // issue 14, forecasting and pricing:
  'GET /v1/forecasts',
  'GET /v1/pricing/:product',
  // issue 14, customers (docs/clickhouse.md, "Serving")
  'GET /v1/customers/:id/profile',
  // chreviews: the review insight, read from the scores `shopsight reviews` stored in the cluster
  'GET /v1/products/:id/reviews/insight',
  'GET /v1/reviews/insight',
  'GET /v1/reviews/categories',
  // Order risk (docs/risk.md): stored scores, scoring a sent order, the list and the review rates.
  'GET /v1/orders/:id/risk',
  'POST /v1/risk/score',
  'GET /v1/risk/orders',
  'GET /v1/risk/review-rates',
] as const;

function notOnClickHouse(what: string, location: string): string {
  return (
    `${what} does not run on ClickHouse yet: this server's store is the ClickHouse cluster ${location} ` +
    `(engine clickhouse), where only ${CLICKHOUSE_ROUTES.join(', ')} run so far (docs/clickhouse.md, "Serving"); ` +
    `serve a DuckDB store for the rest`
  );
}

export function installClickHouseGate(app: FastifyInstance, location: string): void {
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    if (config.role === undefined || config.clickhouse) return; // unknown URL: the 404 answers
    if (req.url.startsWith('/docs') || req.url.split('?')[0] === '/v1/openapi.json') return;
    throw new HttpError(
      501,
      'not_on_clickhouse',
      notOnClickHouse(`${req.method} ${req.routeOptions.url}`, location),
    );
  });
}

/**
 * The ServerWarehouse of a server on ClickHouse. Reads and writes get the cluster's store (the routes
 * built for it choose their SQL by engine); there is no dedicated connection to hand out. Other
 * processes (imports, trainings, other API replicas) write the cluster without this server knowing,
 * so no write count is ever the same twice: an answer cache (answer-cache.ts) never reuses an answer.
 */
export function clickHouseServerWarehouse(ch: ClickHouseStore): ServerWarehouse {
  let reads = 0;
  return {
    location: ch.location,
    schemaVersion: ch.schemaVersion,
    writesDone: () => ++reads,
    read: (fn) => fn(ch),
    write: (fn) => fn(ch),
    connect: async () => {
      throw new HttpError(501, 'not_on_clickhouse', notOnClickHouse('a dedicated connection', ch.location));
    },
  };
}
