/**
 * @module server/context
 * What every route shares: the database (pooled), the models in memory, the settings, the logger,
 * and the shutdown hooks (buffers that must be flushed before the database closes).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ApiKeyRecord } from '../warehouse/api-keys.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { ServerConfig } from './config.js';
import type { ServerWarehouse } from './db-pool.js';
import type { ModelCache } from './model-cache.js';

export interface ServerContext {
  readonly db: ServerWarehouse;
  readonly models: ModelCache;
  readonly config: ServerConfig;
  readonly log: FastifyBaseLogger;
  /** The live keys, in memory (the server is the only writer of api_keys while it runs). */
  readonly keys: KeyRing;
  /** Set when the store is a ClickHouse cluster: only the routes built for it run (engine-gate.ts). */
  readonly clickhouse?: ClickHouseStore;
  /** Runs at graceful shutdown, after the server stops accepting and before the database closes. */
  onClose(fn: () => Promise<void>): void;
}

export interface KeyRing {
  all(): readonly ApiKeyRecord[];
  /** Re-reads api_keys after a change made through the API. */
  reload(): Promise<void>;
}
