import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRecommendVersion } from '../../registry/test-recommend-versions.js';
import { fillServingStore } from '../../tasks/recommend/test-serving-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

// Version 1 item-knn (promoted), version 2 popularity, on tasks/recommend/test-serving-store.ts.
// Split positions (SHA-256 of "recommend\0id", tasks/recommend/ab-split.test.ts): c1 0.2594 (A at
// 50/50), c2 0.7003 (B).

interface Answer {
  model_version: number;
  variant?: string;
  request_id: string;
}

const dir = mkdtempSync(join(tmpdir(), 'shopsight-ab-api-'));
const dbPath = join(dir, 'store.duckdb');

describe('A/B serving of two recommend versions', () => {
  let server: TestServer;
  const user = async (id: string): Promise<Answer> => {
    const res = await server.fetch(`/v1/recommendations/user/${id}`, { key: 'read' });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  };
  const put = (variants: unknown) =>
    server.fetch('/v1/admin/ab/recommend', { key: 'admin', method: 'PUT', json: { variants } });
  const split = (method = 'GET', key: 'admin' | 'read' = 'admin') =>
    server.fetch('/v1/admin/ab/recommend', { key, method });
  const message = async (res: Response) =>
    ((await res.json()) as { error: { message: string } }).error.message;

  beforeAll(async () => {
    server = await startTestServer({
      dbPath,
      seed: async (wh) => {
        await fillServingStore(wh);
        await trainRecommendVersion(wh, 'item-knn', { promote: true });
        await trainRecommendVersion(wh, 'popularity');
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a split that cannot serve, naming the field', async () => {
    const unknown = await put([
      { version: 1, share: 0.5 },
      { version: 9, share: 0.5 },
    ]);
    expect(unknown.status).toBe(400);
    expect(await message(unknown)).toMatch(/^body\/variants\/1\/version: no recommend model version 9/);
    const shares = await put([
      { version: 1, share: 0.5 },
      { version: 2, share: 0.6 },
    ]);
    expect(shares.status).toBe(400);
    expect(await message(shares)).toBe('body/variants: shares must add up to 1, they add up to 1.1');
    expect((await split()).status).toBe(404);
    expect((await split('GET', 'read')).status).toBe(403);
    // Nothing was stored: every visitor still gets the promoted version.
    expect(await user('c2')).toMatchObject({ model_version: 1 });
  });

  it('serves each customer one variant, sticky across requests, shares within sampling error', async () => {
    const res = await put([
      { version: 1, share: 0.5 },
      { version: 2, share: 0.5 },
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      task: 'recommend',
      variants: [
        { name: 'A', version: 1, share: 0.5 },
        { name: 'B', version: 2, share: 0.5 },
      ],
    });
    for (let r = 0; r < 3; r++) {
      expect(await user('c1')).toMatchObject({ variant: 'A', model_version: 1 });
      expect(await user('c2')).toMatchObject({ variant: 'B', model_version: 2 });
    }
    // 400 visitors: B expected 200, standard deviation 10.
    let b = 0;
    for (let i = 0; i < 400; i++) if ((await user(`visitor-${i}`)).variant === 'B') b++;
    expect(Math.abs(b - 200)).toBeLessThan(40);
  }, 60_000);

  it('keeps the split and every assignment across a restart, names the variant in impressions, then ends it', async () => {
    await server.close();
    server = await startTestServer({ dbPath });
    const kept = await split();
    expect(kept.status).toBe(200);
    expect(
      ((await kept.json()) as { variants: { version: number }[] }).variants.map((v) => v.version),
    ).toEqual([1, 2]);
    expect(await user('c1')).toMatchObject({ variant: 'A', model_version: 1 });
    const c2 = await user('c2');
    expect(c2).toMatchObject({ variant: 'B', model_version: 2 });
    expect(await waitForImpression(c2.request_id)).toEqual([{ variant: 'B', model_version: 2 }]);

    expect((await split('DELETE')).status).toBe(204);
    const after = await user('c2');
    expect(after.model_version).toBe(1);
    expect(after.variant).toBeUndefined();
    expect((await split('DELETE')).status).toBe(404);
  }, 60_000);

  /** The buffer flushes every second: polls until the row is there (at most 10 s). */
  async function waitForImpression(requestId: string) {
    for (let i = 0; i < 50; i++) {
      const rows = await server.ctx.db.read((wh) =>
        wh.rows('SELECT variant, model_version FROM recommendation_impressions WHERE request_id = ?', [
          requestId,
        ]),
      );
      if (rows.length) return rows;
      await new Promise((r) => setTimeout(r, 200));
    }
    return [];
  }
});
