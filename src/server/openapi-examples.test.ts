/**
 * Every route of the OpenAPI document carries an example for each parameter and body, and this test
 * sends each one to a real server over the bundled Online Retail sample (fixtures/), with a
 * recommendation model trained: the documented examples work as printed.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../ingest/presets/index.js';
import { scoreStoreReviews } from '../registry/review-scoring.js';
import { scoreOrdersAndStore, trainRiskAndRegister } from '../registry/risk.js';
import { trainUpliftAndRegister } from '../registry/uplift.js';
import { trainRecommendVersion } from '../registry/test-recommend-versions.js';
import { forecastLevel } from '../tasks/forecast/forecast-level.js';
import { createPolicy, decide } from '../tasks/marketing/decisions.js';
import { storeForecastRun } from '../warehouse/forecasts-store.js';
import { importSource } from '../warehouse/import/import-source.js';
import { addTestCampaign } from '../warehouse/test-campaign.js';
import { startTestServer, type TestServer } from './test-server.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/online-retail/online_retail.csv.gz', import.meta.url));
const FAQ = fileURLToPath(new URL('../../fixtures/faq/shop-faq.csv', import.meta.url));

type Json = Record<string, unknown>;
interface Operation {
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: Json;
    example?: unknown;
    examples?: Record<string, { value: unknown }>;
  }[];
  requestBody?: {
    content: Record<
      string,
      { schema?: Json; example?: unknown; examples?: Record<string, { value: unknown }> }
    >;
  };
  responses: Record<string, unknown>;
}

/** The first example of a parameter or a body, wherever @fastify/swagger put it. */
function exampleOf(x: {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}): unknown {
  if (x.example !== undefined) return x.example;
  const named = x.examples ? Object.values(x.examples)[0]?.value : undefined;
  if (named !== undefined) return named;
  const inSchema = x.schema?.['examples'] as unknown[] | undefined;
  return inSchema?.[0] ?? x.schema?.['example'];
}

/** Examples that cannot name a live thing: key ids are random, so the example id is refused as documented. */
const EXPECTED_REFUSALS: Record<string, number> = {
  'DELETE /v1/admin/keys/{id}': 404,
  // Job ids are random too.
  'GET /v1/admin/jobs/{id}': 404,
};

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
      // POST /v1/assistant/support answers from the knowledge table.
      await importSource(wh, { target: FAQ, preset: getPreset('faq') });
      // Two versions: the A/B example splits versions 1 and 2.
      await trainRecommendVersion(wh, 'item-knn', { promote: true });
      await trainRecommendVersion(wh, 'popularity');
      // GET /v1/forecasts serves a stored run: the total's, as `shopsight forecast` stores it.
      const f = await forecastLevel(wh, { level: 'total' });
      await storeForecastRun(wh, { ...f, modelRequested: f.model });
      // The decision examples: a policy 'offers' and a decision the reward example names.
      await createPolicy(wh, { policyId: 'offers', kind: 'thompson', arms: ['10% off', 'free shipping'] });
      await decide(wh, { policyId: 'offers', customerId: '12347', decisionId: 'req_example_decision' });
      // GET /v1/products/{id}/reviews/insight reads stored review scores: reviews of 85123A, scored
      // as `shopsight reviews` scores them (the lexicon fallback: no sentiment model is trained here).
      // Category 'home' (the reviews' own: Online Retail has no categories): GET /v1/reviews/insight.
      await wh.exec(`INSERT INTO reviews (review_id, customer_id, product_id, rating, body, created_at, category) VALUES
        ('x1', '12347', '85123A', 5, 'Great quality, lovely holder', '2011-09-10', 'home'),
        ('x2', '12347', '85123A', 2, 'The glass broke, poor packaging', '2011-11-02', 'home'),
        ('x3', NULL, '85123A', 4, 'Nice light, good price', '2011-11-20', 'home')`);
      await scoreStoreReviews(wh);
      // GET /v1/campaigns/{id}/report and /targets: campaign 'hillstrom' (a generated randomised
      // campaign over 600 of the store's customers) with a promoted uplift model.
      const customers = await wh.rows<{ customer_id: string }>(
        'SELECT customer_id FROM customers ORDER BY customer_id LIMIT 600',
      );
      await addTestCampaign(
        wh,
        'hillstrom',
        customers.map((c) => c.customer_id),
      );
      await trainUpliftAndRegister(wh, {
        campaign: 'hillstrom',
        outcome: 'visit',
        method: 't-learner logistic',
      });
      // GET /v1/orders/{id}/risk reads a stored score; POST /v1/risk/score needs a promoted risk model.
      await trainRiskAndRegister(wh);
      await scoreOrdersAndStore(wh, { orderIds: ['536365'] });
    },
  });
}, 600_000);
afterAll(async () => {
  await s?.close();
});

describe('the OpenAPI examples', () => {
  it('exist for every parameter and body of every route, and each works when sent as documented', async () => {
    const doc = (await (await fetch(`${s.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const sent: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        let url = path;
        const query = new URLSearchParams();
        for (const p of op.parameters ?? []) {
          const ex = exampleOf(p);
          if (p.in === 'path') {
            expect(ex, `${where}: example for path parameter ${p.name}`).toBeDefined();
            url = url.replace(`{${p.name}}`, encodeURIComponent(String(ex)));
          } else if (p.in === 'query' && ex !== undefined) {
            query.set(p.name, Array.isArray(ex) ? ex.join(',') : String(ex));
          } else if (p.in === 'query' && p.required) {
            expect.fail(`${where}: required query parameter ${p.name} has no example`);
          }
        }
        let body: unknown;
        const json = op.requestBody?.content['application/json'];
        if (json) {
          body = exampleOf(json);
          expect(body, `${where}: example body`).toBeDefined();
        }
        const res = await s.fetch(url + (query.size ? `?${query}` : ''), {
          method: method.toUpperCase(),
          key: path.startsWith('/v1') ? 'admin' : undefined,
          ...(body === undefined ? {} : { json: body }),
        });
        const text = await res.text();
        if (EXPECTED_REFUSALS[where]) expect(res.status, where).toBe(EXPECTED_REFUSALS[where]);
        else expect(res.status, `${where} -> ${res.status}: ${text.slice(0, 300)}`).toBeLessThan(400);
        expect(Object.keys(op.responses), `${where}: status ${res.status} documented`).toContain(
          String(res.status),
        );
        sent.push(where);
      }
    }
    // The routes the API has at least (a capability issue adds more).
    for (const route of [
      'GET /v1/recommendations/user/{id}',
      'POST /v1/events',
      'GET /v1/customers/{id}/profile',
    ]) {
      expect(sent).toContain(route);
    }
  }, 300_000);
});
