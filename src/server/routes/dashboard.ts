/**
 * @module server/routes/dashboard
 * The web dashboard's files (built by `npm run build` from web/ into dist/web): `GET /` and every
 * view under `/app/...` answer index.html (the browser app routes itself), `GET /assets/<file>` the
 * bundle. Public, because a page must load before it can ask for a key; the data it shows still
 * needs one (every /v1 route keeps its role).
 *
 * Only the files present in dist/web when the server starts are served, from memory, looked up by
 * exact name: no path from the request ever reaches the file system, so there is no traversal to
 * guard. Each file is gzip'd once at start (about 1.5 MB of JavaScript becomes about 0.5 MB).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../errors.js';
import type { RoutePlugin } from './route-plugin.js';

/** dist/web from both src/server/routes (tests, tsx) and dist/server/routes (the built CLI). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The built files by URL path ('/index.html', '/assets/index-abc.js'); empty when not built. */
export function loadDashboardFiles(dir = DASHBOARD_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(join(dir, 'index.html'))) return files;
  for (const path of listFiles(dir)) {
    const body = readFileSync(path);
    const url = '/' + relative(dir, path).split(sep).join('/');
    files.set(url, {
      type: TYPES[extname(path)] ?? 'application/octet-stream',
      body,
      gzip: gzipSync(body, { level: 9 }),
    });
  }
  return files;
}

function send(req: FastifyRequest, reply: FastifyReply, file: StaticFile, immutable: boolean): Buffer {
  reply.header('content-type', file.type);
  // Hashed asset names change with their content; index.html must be asked for again.
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    reply.header('content-encoding', 'gzip');
    return file.gzip;
  }
  return file.body;
}

export const dashboardRoutes: RoutePlugin = (app) => {
  const files = loadDashboardFiles();
  const page = (req: FastifyRequest, reply: FastifyReply): Buffer => {
    const index = files.get('/index.html');
    if (!index) {
      throw httpError(
        404,
        'dashboard_not_built',
        `the dashboard is not built: run npm run build (looked in ${DASHBOARD_DIR})`,
      );
    }
    return send(req, reply, index, false);
  };
  // Static files: the same on both engines (on ClickHouse the pages whose routes run there answer).
  const options = { config: { role: 'public' as const, clickhouse: true }, schema: { hide: true } };
  app.get('/', options, page);
  app.get('/app/*', options, page);
  app.get('/assets/:file', options, (req, reply) => {
    const { file } = req.params as { file: string };
    const found = files.get(`/assets/${file}`);
    if (!found) throw httpError(404, 'not_found', `no dashboard file /assets/${file}`);
    return send(req, reply, found, true);
  });
};
