/**
 * @module server/test-server
 * For integration tests: a real server on a free port over a fresh database in a temp folder, with
 * one key of each role. Tests call it over HTTP with fetch, never through handlers.
 *
 * @example
 *   const s = await startTestServer({ seed: async (wh) => { await importSource(wh, {...}) } });
 *   const res = await s.fetch('/v1/segments', { key: 'read' });
 *   await s.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, type ApiRole } from '../warehouse/api-keys.js';
import { openWarehouse } from '../warehouse/open.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { ServerConfig } from './config.js';
import { startServer, type RunningServer } from './serve.js';

export interface TestServer extends RunningServer {
  readonly dir: string;
  readonly dbPath: string;
  /** One live key per role. */
  readonly keys: Record<ApiRole, string>;
  /** fetch against the server; `key` picks a role's key (or a literal key string), `json` a body. */
  fetch(
    path: string,
    init?: {
      method?: string;
      key?: ApiRole | (string & {});
      json?: unknown;
      headers?: Record<string, string>;
      body?: string;
    },
  ): Promise<Response>;
  /** `fetch` with the status and the parsed JSON body: the shape most route tests assert on. */
  call(
    method: string,
    path: string,
    json?: unknown,
    key?: ApiRole,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function startTestServer(
  options: {
    /** Fill the store before the server opens it (import, train...). */
    seed?: (wh: Warehouse) => Promise<void>;
    /** An existing database to serve instead of a fresh one (it is not deleted at close). */
    dbPath?: string;
    config?: Partial<ServerConfig>;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-server-'));
  const dbPath = options.dbPath ?? join(dir, 'store.duckdb');
  const wh = await openWarehouse(dbPath, { create: true });
  const keys = {} as Record<ApiRole, string>;
  try {
    await options.seed?.(wh);
    for (const role of ['admin', 'ingest', 'read'] as const) {
      keys[role] = (await createApiKey(wh, { role, name: `test ${role}` })).key;
    }
  } finally {
    await wh.close();
  }
  const server = await startServer({ dbPath, port: 0, logLevel: 'silent', ...options.config });
  const send: TestServer['fetch'] = (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key)
      headers['authorization'] = `Bearer ${init.key in keys ? keys[init.key as ApiRole] : init.key}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] ??= 'application/json';
    }
    return fetch(server.url + path, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };
  return {
    ...server,
    dir,
    dbPath,
    keys,
    fetch: send,
    call: async (method, path, json, key = 'admin', headers) => {
      const res = await send(path, {
        method,
        key,
        ...(json === undefined ? {} : { json }),
        ...(headers ? { headers } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
