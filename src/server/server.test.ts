import { Validator } from '@seriousme/openapi-schema-validator';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayCall } from './auth.js';
import { startTestServer, type TestServer } from './test-server.js';

const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', 'cli', 'main.ts');

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

type Json = Record<string, unknown>;
const body = async (r: Response): Promise<Json> => (await r.json()) as Json;

/** A concrete path for a route: each :param from its example in the OpenAPI document, else 'x'. */
function concretePath(url: string, doc: Json): string {
  const oaPath = url.replace(/:(\w+)/g, '{$1}');
  const ops = (doc['paths'] as Record<string, Record<string, Json>>)[oaPath] ?? {};
  const params = Object.values(ops).flatMap((op) => (op['parameters'] as Json[] | undefined) ?? []);
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const p = params.find((q) => q['name'] === name && q['in'] === 'path');
    const ex = (p?.['schema'] as Json | undefined)?.['examples'] as unknown[] | undefined;
    return encodeURIComponent(String(ex?.[0] ?? (p?.['example'] as string | undefined) ?? 'x'));
  });
}

describe('the HTTP API skeleton', () => {
  it('answers every route with every role as its declared role says: 401 without a live key, 403 for a wrong role', async () => {
    const doc = await body(await fetch(`${s.url}/v1/openapi.json`));
    const revoked = await body(
      await s.fetch('/v1/admin/keys', { key: 'admin', json: { role: 'read', name: 'gone' } }),
    );
    expect(
      (await s.fetch(`/v1/admin/keys/${String(revoked['key_id'])}`, { key: 'admin', method: 'DELETE' }))
        .status,
    ).toBe(200);
    const callers = {
      none: undefined,
      garbage: 'not-a-key',
      wrongSecret: s.keys.read.slice(0, -4) + 'AAAA',
      revoked: String(revoked['key']),
      read: 'read',
      ingest: 'ingest',
      admin: 'admin',
    } as const;
    expect(s.routes.length).toBeGreaterThanOrEqual(5);
    for (const route of s.routes) {
      const path = concretePath(route.url, doc);
      for (const [who, key] of Object.entries(callers)) {
        // A body that is not an object: a route with a body schema answers 400 after auth passed.
        const res = await s.fetch(path, {
          method: route.method,
          ...(key ? { key } : {}),
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: 'not an object' }),
        });
        const where = `${route.method} ${path} as ${who}`;
        const role = who as 'read' | 'ingest' | 'admin';
        if (route.role === 'public') expect([401, 403], where).not.toContain(res.status);
        else if (!['read', 'ingest', 'admin'].includes(who)) {
          expect(res.status, where).toBe(401);
          expect(res.headers.get('www-authenticate'), where).toBe('Bearer');
        } else if (mayCall(role, route.role)) expect([401, 403], where).not.toContain(res.status);
        else {
          expect(res.status, where).toBe(403);
          const err = (await body(res))['error'] as Json;
          expect(err['message'], where).toContain(`role '${route.role}'`);
        }
      }
    }
  });

  it('says why a key is refused, and the body names the request id it echoes', async () => {
    const missing = await s.fetch('/v1/admin/keys');
    expect(missing.status).toBe(401);
    const b = await body(missing);
    expect(b['error']).toEqual({
      status: 401,
      code: 'unauthorized',
      message: 'missing API key: send Authorization: Bearer <key>',
    });
    expect(b['request_id']).toBe(missing.headers.get('x-request-id'));
    const mine = await s.fetch('/v1/admin/keys', { key: 'read', headers: { 'x-request-id': 'shop-42.a' } });
    expect(mine.headers.get('x-request-id')).toBe('shop-42.a');
    expect((await body(mine))['request_id']).toBe('shop-42.a');
    const revokedMsg = (
      await body(await s.fetch('/v1/admin/keys', { key: s.keys.read.replace(/^ssk_\w{8}/, 'ssk_00000000') }))
    )['error'] as Json;
    expect(revokedMsg['message']).toBe('no API key with id 00000000');
  });

  it('creates, lists and revokes keys through the API; the key is shown once and works at once', async () => {
    const made = await s.fetch('/v1/admin/keys', {
      key: 'admin',
      json: { role: 'ingest', name: 'pos terminal' },
    });
    expect(made.status).toBe(201);
    const k = await body(made);
    expect(k['key']).toMatch(/^ssk_[0-9a-f]{8}_[\w-]{43}$/);
    const listed = (await body(await s.fetch('/v1/admin/keys', { key: 'admin' })))['keys'] as Json[];
    const row = listed.find((r) => r['key_id'] === k['key_id'])!;
    expect(row).toMatchObject({ name: 'pos terminal', role: 'ingest', revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(String(k['key']).slice(13));
    // The new ingest key may not read keys (admin only), and is refused once revoked.
    expect((await s.fetch('/v1/admin/keys', { key: String(k['key']) })).status).toBe(403);
    expect(
      (await s.fetch(`/v1/admin/keys/${String(k['key_id'])}`, { key: 'admin', method: 'DELETE' })).status,
    ).toBe(200);
    const after = await s.fetch('/v1/admin/keys', { key: String(k['key']) });
    expect(after.status).toBe(401);
    expect(((await body(after))['error'] as Json)['message']).toBe(
      `API key ${String(k['key_id'])} was revoked`,
    );
    expect(
      (await s.fetch(`/v1/admin/keys/${String(k['key_id'])}`, { key: 'admin', method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('refuses bad requests with a 4xx and a reason: malformed JSON, wrong content type, over the size limit, unknown route', async () => {
    const bad = await s.fetch('/v1/admin/keys', {
      key: 'admin',
      method: 'POST',
      body: '{"role": "read",',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(((await body(bad))['error'] as Json)['code']).toBe('invalid_json');
    const text = await s.fetch('/v1/admin/keys', {
      key: 'admin',
      method: 'POST',
      body: 'role=read',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(((await body(text))['error'] as Json)['code']).toBe('unsupported_media_type');
    const huge = await s.fetch('/v1/admin/keys', {
      key: 'admin',
      json: { role: 'read', name: 'x'.repeat(s.ctx.config.bodyLimit) },
    });
    expect(huge.status).toBe(413);
    expect(((await body(huge))['error'] as Json)['code']).toBe('body_too_large');
    const invalid = await s.fetch('/v1/admin/keys', { key: 'admin', json: { role: 'owner' } });
    expect(invalid.status).toBe(400);
    const err = (await body(invalid))['error'] as Json;
    expect(err['code']).toBe('invalid_request');
    expect(err['message']).toContain('/role');
    const none = await s.fetch('/v1/nothing-here', { key: 'read' });
    expect(none.status).toBe(404);
    expect(((await body(none))['error'] as Json)['message']).toBe(
      'no route GET /v1/nothing-here (see /docs)',
    );
    // Nothing of the refused requests was written: only the keys the test made exist.
    const names = ((await body(await s.fetch('/v1/admin/keys', { key: 'admin' })))['keys'] as Json[]).map(
      (r) => r['name'],
    );
    expect(names).not.toContain('x'.repeat(10));
    expect(names.filter((n) => n === undefined || n === 'owner')).toEqual([]);
  });

  it('publishes a valid OpenAPI 3 document and a reference page', async () => {
    const doc = await body(await fetch(`${s.url}/v1/openapi.json`));
    const result = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc['paths'] as object)).toContain('/v1/admin/keys');
    const page = await fetch(`${s.url}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    expect(await body(await fetch(`${s.url}/healthz`))).toEqual({ status: 'ok' });
    expect(await body(await fetch(`${s.url}/readyz`))).toMatchObject({
      status: 'ready',
      schema_version: s.ctx.db.schemaVersion,
    });
  });

  it('limits requests per key with 429 and Retry-After, counting each key apart', async () => {
    const t = await startTestServer({ config: { rateLimitPerMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await t.fetch('/v1/admin/keys', { key: 'admin' })).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await t.fetch('/v1/admin/keys', { key: 'admin' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await body(limited))['error'] as Json)['code']).toBe('rate_limited');
      // Another key has its own allowance.
      expect((await t.fetch('/v1/admin/keys', { key: 'read' })).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('owns its database: a CLI command on the same file stops at once, naming the server and what to do', async () => {
    const res = await run(process.execPath, ['--import', 'tsx', cliMain, 'status', '--db', s.dbPath]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`is held by the Shopsight server at ${s.url} (pid ${process.pid}`);
    expect(res.stderr).toContain('POST /v1/admin/train/{task}');
  });
});
