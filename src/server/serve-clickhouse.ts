/**
 * @module server/serve-clickhouse
 * `shopsight serve --db clickhouse://...`: the API in front of a ClickHouse cluster. Several such
 * processes may run at once against one cluster (behind a load balancer): none owns the store, so
 * there is no holder file and no event log; each writes the events it takes through its own batcher
 * (events/clickhouse-ingest.ts). Keys live in the cluster's `api_keys` (every node), are read at
 * start and again every CLUSTER_POLL_MS, so a key made or revoked through another process (or
 * `shopsight keys`) holds on every process within that time; the promoted version of each model in
 * use is re-read on the same timer (a promotion elsewhere is loaded, then swapped in). The first
 * process to start on a cluster without a live admin key makes one and prints it.
 * Only the routes built for ClickHouse run; the others answer 501 naming the engine (engine-gate.ts).
 */
import { createApiKey, listApiKeys, type ApiKeyRecord } from '../warehouse/api-keys.js';
import { openClickHouse } from '../warehouse/open.js';
import { buildApp } from './app.js';
import { listenAt } from './listen.js';
import type { ServerConfig } from './config.js';
import { clickHouseServerWarehouse } from './engine-gate.js';
import { MemoryModelCache } from './model-cache.js';
import type { RunningServer } from './serve.js';

/** How long a shutdown waits for requests in flight before it closes their connections. */
const CLOSE_GRACE_MS = 10_000;
/**
 * How often each process re-reads the cluster's keys and promoted model versions: a revocation or a
 * promotion made through another process holds here within it.
 */
export const CLUSTER_POLL_MS = 30_000;

export async function startClickHouseServer(config: ServerConfig): Promise<RunningServer> {
  const refused = [
    config.retrainEverySeconds !== undefined ? '--retrain-every' : null,
    config.retainEverySeconds !== undefined ? '--retain-every' : null,
  ].filter((x) => x !== null);
  if (refused.length) {
    throw new Error(
      `${refused.join(' and ')}: training and retention do not run on ClickHouse yet (engine clickhouse; docs/clickhouse.md)`,
    );
  }
  const ch = await openClickHouse(config.dbPath);
  try {
    let keys: readonly ApiKeyRecord[] = await listApiKeys(ch);
    let bootstrapKey: string | undefined;
    if (!keys.some((k) => !k.revokedAt && k.role === 'admin')) {
      bootstrapKey = (await createApiKey(ch, { role: 'admin', name: 'bootstrap admin' })).key;
      keys = await listApiKeys(ch);
    }
    const db = clickHouseServerWarehouse(ch);
    const models = new MemoryModelCache(db);
    const { app, ctx, closing, routes } = await buildApp({
      db,
      models,
      keys: {
        all: () => keys,
        reload: async () => {
          keys = await listApiKeys(ch);
        },
      },
      config: { ...config, dbPath: ch.location },
      clickhouse: ch,
    });
    const url = await listenAt(app, config);
    // A failed re-read keeps what was read last (the cluster may be restarting); it is logged.
    const refresh = setInterval(() => {
      listApiKeys(ch).then(
        (k) => void (keys = k),
        (err: unknown) => app.log.warn({ err }, 're-reading the API keys failed; the last ones read stay'),
      );
      models
        .refreshAll()
        .catch((err: unknown) =>
          app.log.warn({ err }, 're-reading the promoted models failed; the models loaded stay'),
        );
    }, CLUSTER_POLL_MS);
    refresh.unref();
    closing.unshift(async () => clearInterval(refresh));
    let closed: Promise<void> | undefined;
    return {
      url,
      app,
      ctx,
      routes,
      ...(bootstrapKey ? { bootstrapKey } : {}),
      close: () =>
        (closed ??= (async () => {
          const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
          force.unref();
          await app.close();
          clearTimeout(force);
          // The batcher writes what it holds here; a failure is logged and reported to the caller.
          let failed: unknown;
          for (const fn of closing) {
            await fn().catch((err: unknown) => {
              failed ??= err;
              app.log.error({ err }, 'flush at shutdown failed');
            });
          }
          await ch.close();
          if (failed) throw failed;
        })()),
    };
  } catch (err) {
    await ch.close().catch(() => undefined);
    throw err;
  }
}
