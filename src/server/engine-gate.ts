/**
 * @module server/engine-gate
 * When the store is a ClickHouse cluster, only the routes built for it run (`config.clickhouse:
 * true`: the event ingest and liveness so far); every other route answers 501 `not_on_clickhouse`
 * naming the engine and the routes that do run, after authentication (401/403 first, as everywhere)
 * and before its body is parsed or any of its code runs: never a DuckDB query sent to ClickHouse,
 * never a wrong answer. Also the ServerWarehouse such a server holds: anything that reaches it anyway
 * fails with the same words instead of touching a store it does not have.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerWarehouse } from './db-pool.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route runs when the store is a ClickHouse cluster (engine-gate.ts). */
    clickhouse?: boolean;
  }
}

/** The routes that run on ClickHouse, as the refusal lists them. */
export const CLICKHOUSE_ROUTES = ['POST /v1/events', 'GET /healthz'] as const;

function notOnClickHouse(what: string, location: string): string {
  return (
    `${what} does not run on ClickHouse yet: this server's store is the ClickHouse cluster ${location} ` +
    `(engine clickhouse), where only ${CLICKHOUSE_ROUTES.join(' and ')} run so far (docs/clickhouse.md, "Serving"); ` +
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

/** The ServerWarehouse of a server on ClickHouse: there is no DuckDB store to read or write. */
export function clickHouseServerWarehouse(location: string): ServerWarehouse {
  const refuse = (): never => {
    throw new HttpError(501, 'not_on_clickhouse', notOnClickHouse('this operation', location));
  };
  return {
    location,
    schemaVersion: 0,
    writesDone: () => 0,
    read: async () => refuse(),
    write: async () => refuse(),
    connect: async () => refuse(),
  };
}
