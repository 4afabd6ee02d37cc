/**
 * Two settings of the server checked over HTTP (issue 8, Build 1): CORS answers only the origins
 * `serve --cors-origin` names, and `shopsight serve` logs structured JSON lines (pino) carrying each
 * request's id, never the API key.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../warehouse/api-keys.js';
import { readHolder } from '../warehouse/holder.js';
import { openWarehouse } from '../warehouse/open.js';
import { startTestServer } from './test-server.js';

const MAIN = join(import.meta.dirname, '..', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'shopsight-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const preflight = (url: string, origin: string): Promise<Response> =>
  fetch(`${url}/v1/segments`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

describe('CORS', () => {
  it('allows the configured origins only, and none by default', async () => {
    const open = await startTestServer({ config: { corsOrigins: ['https://shop.example'] } });
    const closed = await startTestServer();
    try {
      const ok = await preflight(open.url, 'https://shop.example');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const res = await open.fetch('/v1/me', { key: 'read', headers: { origin: 'https://shop.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      expect(
        (await preflight(open.url, 'https://other.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
      expect(
        (await preflight(closed.url, 'https://shop.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
    } finally {
      await open.close();
      await closed.close();
    }
  });
});

describe('logs', () => {
  it('are JSON lines with the request id, and never show the key', async () => {
    const dbPath = join(dir, 'store.duckdb');
    const wh = await openWarehouse(dbPath, { create: true });
    const { key } = await createApiKey(wh, { role: 'read', name: 'logs test' });
    await wh.close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'serve', '--db', dbPath, '--port', '0', '--log-level', 'info'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let url: string | undefined;
      for (let i = 0; i < 600 && !url; i++) {
        const h = readHolder(dbPath);
        if (h && h.pid === child.pid) url = h.url;
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(url, 'the server did not start').toBeDefined();
      const res = await fetch(`${url}/v1/me`, {
        headers: { authorization: `Bearer ${key}`, 'x-request-id': 'req-logs-test-1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('req-logs-test-1');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const lines = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l['reqId'] === 'req-logs-test-1');
    expect(mine.map((l) => l['msg'])).toEqual(['incoming request', 'request completed']);
    expect(mine[1]).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(out).not.toContain(key.split('_').pop()!);
    // A child process started from the sources: slow to start on a busy machine.
  }, 180_000);
});
