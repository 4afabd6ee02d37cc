/**
 * @module server/serve
 * Starts the API on a store: opens (and thereby owns) the database, says so in `<db>.serve.json`,
 * listens, and closes in order: stop accepting and finish requests in flight, run the flushers,
 * close the database, remove the holder file.
 */
import type { FastifyInstance } from 'fastify';
import { createApiKey, listApiKeys, type ApiKeyRecord } from '../warehouse/api-keys.js';
import { removeHolder, writeHolder } from '../warehouse/holder.js';
import { isClickHouseLocation, openWarehouse } from '../warehouse/open.js';
import { startClickHouseServer } from './serve-clickhouse.js';
import { buildApp, type RouteInfo } from './app.js';
import { listenAt } from './listen.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from './config.js';
import type { ServerContext } from './context.js';
import { WarehousePool } from './db-pool.js';

/** How long a shutdown waits for requests in flight before it closes their connections. */
const CLOSE_GRACE_MS = 10_000;
import { MemoryModelCache } from './model-cache.js';

export interface RunningServer {
  /** http://host:port, the port chosen when 0 was asked. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** Every route with the role it needs. */
  readonly routes: readonly RouteInfo[];
  /** An admin key created because the store had no live one (shown once), else undefined. */
  readonly bootstrapKey?: string;
  close(): Promise<void>;
}

export async function startServer(
  options: Partial<ServerConfig> & Pick<ServerConfig, 'dbPath'>,
): Promise<RunningServer> {
  const config: ServerConfig = { ...DEFAULT_SERVER_CONFIG, ...options };
  if (isClickHouseLocation(config.dbPath)) return startClickHouseServer(config);
  const wh = await openWarehouse(config.dbPath, { create: false });
  let db: WarehousePool | undefined;
  try {
    db = await WarehousePool.create(wh, config.readConnections);
    const pool = db;
    let keys: readonly ApiKeyRecord[] = await pool.read(listApiKeys);
    let bootstrapKey: string | undefined;
    if (!keys.some((k) => !k.revokedAt && k.role === 'admin')) {
      // Without a live admin key the server could never be managed (the CLI cannot open the
      // database while it runs): make one, shown once.
      bootstrapKey = (
        await pool.write((w) => createApiKey(w, { role: 'admin', name: 'bootstrap admin' }), 'serving')
      ).key;
      keys = await pool.read(listApiKeys);
    }
    const ring = {
      all: () => keys,
      reload: async () => {
        keys = await pool.read(listApiKeys);
      },
    };
    const { app, ctx, closing, routes } = await buildApp({
      db: pool,
      models: new MemoryModelCache(pool),
      keys: ring,
      config,
    });
    const url = await listenAt(app, config);
    writeHolder(config.dbPath, { pid: process.pid, url, startedAt: new Date().toISOString() });
    let closed: Promise<void> | undefined;
    return {
      url,
      app,
      ctx,
      routes,
      ...(bootstrapKey ? { bootstrapKey } : {}),
      close: () =>
        (closed ??= (async () => {
          // Requests in flight get CLOSE_GRACE_MS to finish; then every connection is cut, so a
          // client that stops reading a response cannot hold the shutdown (and the flush) forever.
          const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
          force.unref();
          await app.close();
          clearTimeout(force);
          for (const fn of closing) {
            await fn().catch((err: unknown) => app.log.error({ err }, 'flush at shutdown failed'));
          }
          await pool.close();
          removeHolder(config.dbPath);
        })()),
    };
  } catch (err) {
    if (db) await db.close().catch(() => undefined);
    else await wh.close();
    throw err;
  }
}
