/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server
 * on the bundled Online Retail sample with a recommender trained: every page loads with no console
 * error and no failed request, the numbers on screen are the API's, the period and bucket filters
 * live in the URL, the language switch changes texts and number formats, and a screenshot of each
 * page is saved under the folder this test prints (SHOPSIGHT_SCREENSHOTS to choose it).
 *
 * Skipped, with a loud message, when Chromium is missing (CI installs it: .ci/run).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../ingest/presets/index.js';
import { scoreStoreReviews } from '../registry/review-scoring.js';
import { scoreOrdersAndStore, trainRiskAndRegister } from '../registry/risk.js';
import { scoreAndStoreCustomers } from '../registry/score-customers.js';
import { trainRecommendVersion } from '../registry/test-recommend-versions.js';
import { trainAndRegister } from '../registry/training.js';
import { trainUpliftAndRegister } from '../registry/uplift.js';
import { buildReport } from '../report/build-report.js';
import { forecastLevel } from '../tasks/forecast/forecast-level.js';
import { storeForecastRun } from '../warehouse/forecasts-store.js';
import { importSource } from '../warehouse/import/import-source.js';
import { addTestCampaign } from '../warehouse/test-campaign.js';
import {
  chooseOption,
  chromiumMissing,
  ensureDashboardBuilt,
  firstViewSeen,
  openTestBrowser,
  type TestBrowser,
} from './test-browser.js';
import { startTestServer, type TestServer } from './test-server.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/online-retail/online_retail.csv.gz', import.meta.url));
const missing = chromiumMissing();
if (missing) console.warn(`\n!!!!!!!!\n${missing}\n!!!!!!!!\n`);

type Json = Record<string, unknown>;
let s: TestServer;
let b: TestBrowser;
const shots = process.env['SHOPSIGHT_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'shopsight-screenshots-'));
/** `shopsight report`'s HTML for the same store, written before the server opened it. */
const reportFile = join(mkdtempSync(join(tmpdir(), 'shopsight-report-')), 'report.html');

const gbp = (lang: string) =>
  new Intl.NumberFormat(lang, { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const int = (lang: string) => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
const pct = (lang: string) =>
  new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** 48 reviews: products 85123A and 22423 in 'home', 85099B and 84879 in 'gifts'; one in five negative; June to November 2011. */
const REVIEWS = Array.from({ length: 48 }, (_, i) => {
  const product = ['85123A', '22423', '85099B', '84879'][i % 4]!;
  const category = i % 4 < 2 ? 'home' : 'gifts';
  const negative = i % 5 === 0; // 10 of 48, spread over the months (i % 6)
  const body = negative
    ? ['Poor quality, the glass broke', 'Terrible packaging, it arrived broken'][i % 2]
    : ['Great quality, lovely holder', 'Lovely colour and a great price'][i % 2];
  const day = `2011-${String(6 + (i % 6)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
  return `('rv${i}', '12347', '${product}', ${negative ? 2 : 5}, '${body}', '${day}', '${category}')`;
}).join(', ');

async function api(path: string): Promise<Json> {
  const res = await s.fetch(path, { key: 'read' });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

async function text(selector: string): Promise<string> {
  return (await b.page.locator(selector).first().innerText()).trim();
}

async function shot(name: string): Promise<void> {
  await b.page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

describe.skipIf(missing !== null)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    s = await startTestServer({
      seed: async (wh) => {
        await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
        await trainRecommendVersion(wh, 'item-knn', { promote: true });
        await trainRecommendVersion(wh, 'popularity'); // version 2, for the promote test
        // The customer models and their stored predictions: the Customers page's table and charts.
        await trainAndRegister(wh, 'customers', {});
        await scoreAndStoreCustomers(wh);
        // A stored forecast of the total, as `shopsight forecast` stores it: the Forecasts page.
        const f = await forecastLevel(wh, { level: 'total' });
        await storeForecastRun(wh, { ...f, modelRequested: f.model });
        // The risk model (no labels: an isolation forest) and every order scored: the Risk page.
        await trainRiskAndRegister(wh);
        await scoreOrdersAndStore(wh);
        // A randomised campaign over every customer with a promoted uplift model: the Marketing page.
        const customers = await wh.rows<{ customer_id: string }>(
          'SELECT customer_id FROM customers ORDER BY customer_id',
        );
        await addTestCampaign(
          wh,
          'spring',
          customers.map((c) => c.customer_id),
        );
        await trainUpliftAndRegister(wh, {
          campaign: 'spring',
          outcome: 'visit',
          method: 't-learner logistic',
        });
        // Reviews of four products in two categories over six months, scored as `shopsight reviews`
        // scores them (the lexicon: no sentiment model here): the Reviews page.
        await wh.exec(
          `INSERT INTO reviews (review_id, customer_id, product_id, rating, body, created_at, category) VALUES ${REVIEWS}`,
        );
        await scoreStoreReviews(wh);
        writeFileSync(reportFile, await buildReport(wh));
      },
    });
    b = await openTestBrowser();
    // On the shared 2-core machine under load a profile (RFM over every customer) can take seconds.
    b.context.setDefaultTimeout(60_000);
    mkdirSync(shots, { recursive: true });
    console.log(`dashboard screenshots: ${shots}`);
  }, 900_000); // import, customer, risk and uplift models, scoring, a forecast and a build: minutes on the loaded 2-core machine
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('opens the Overview with the key from the URL fragment, then forgets the fragment', async () => {
    await b.page.goto(`${s.url}/#key=${s.keys.read}`, { waitUntil: 'commit' });
    // The first view (drawn before React and antd load) shows the API's numbers, then the app
    // replaces it. Read in the page on the frame it appears: it may be gone a moment later.
    const first = await firstViewSeen(b.page);
    const range = await api('/v1/analytics/range');
    // The default period: the 90 days ending the day after the last order.
    const to = new Date(Date.parse(String(range['last_order_at']).slice(0, 10)) + 86_400_000);
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const kpis = await api(`/v1/analytics/kpis?from=${day(from)}&to=${day(to)}`);
    expect(first.net).toBe(gbp('en').format(kpis['net_revenue'] as number));
    expect(first.orders).toBe(int('en').format(kpis['orders'] as number));
    // One bar per week of the API's series (the other paths are the axes).
    const series = await api(`/v1/analytics/series?by=week&from=${day(from)}&to=${day(to)}`);
    expect(first.paths).toBeGreaterThanOrEqual((series['points'] as Json[]).length);
    await b.page.getByTestId('kpi-netRevenue').waitFor();
    await b.page.getByTestId('top-products').waitFor();
    console.log(
      `Overview first load (navigation to the first view's KPI cards and revenue chart): ${first.at.toFixed(0)} ms`,
    );
    // The app, once shown, has removed the first view and shows the same number.
    expect(await b.page.getByTestId('first-view').count()).toBe(0);
    expect(await text('[data-testid=kpi-netRevenue] .ant-statistic-content-value')).toBe(first.net);
    expect(b.page.url()).toBe(`${s.url}/app/overview`);
    expect(b.problems).toEqual([]);
  });

  it("draws the first view in the URL's language and period", async () => {
    await b.page.goto(`${s.url}/app/overview?lang=zh-CN&from=2011-09-01&to=2011-12-01`, {
      waitUntil: 'commit',
    });
    const first = await firstViewSeen(b.page);
    const now = await api('/v1/analytics/kpis?from=2011-09-01&to=2011-12-01');
    expect(first.net).toBe(gbp('zh-CN').format(now['net_revenue'] as number));
    expect(first.netCard).toContain('净收入');
    await b.page.getByTestId('kpi-netRevenue').waitFor();
    expect(b.problems).toEqual([]);
  });

  it('shows the API KPIs for the period in the URL, with the change against the period before', async () => {
    await b.page.goto(`${s.url}/app/overview?from=2011-09-01&to=2011-12-01`);
    await b.page.getByTestId('kpi-netRevenue').locator('.ant-statistic-content-value').waitFor();
    const now = await api('/v1/analytics/kpis?from=2011-09-01&to=2011-12-01');
    // 91 days before 2011-09-01 is 2011-06-02.
    const before = await api('/v1/analytics/kpis?from=2011-06-02&to=2011-09-01');
    const net = now['net_revenue'] as number;
    expect(await text('[data-testid=kpi-netRevenue] .ant-statistic-content-value')).toBe(
      gbp('en').format(net),
    );
    expect(await text('[data-testid=kpi-orders] .ant-statistic-content-value')).toBe(
      int('en').format(now['orders'] as number),
    );
    const change = (net - (before['net_revenue'] as number)) / (before['net_revenue'] as number);
    expect(await text('[data-testid=kpi-netRevenue] [data-role=change]')).toBe(
      `${change >= 0 ? '▲' : '▼'} ${pct('en').format(Math.abs(change))} vs previous 91 days`,
    );
    // The top products table lists the API's best seller first.
    const products = await api('/v1/analytics/products?from=2011-09-01&to=2011-12-01&top=10');
    const first = (products['by_revenue'] as Json[])[0]!;
    expect(await text('[data-testid=top-products] tbody tr:first-child td:first-child')).toBe(first['title']);
    await b.page.getByTestId('revenue-series').locator('svg').waitFor();
    await shot('overview');

    await b.page.getByTestId('bucket').getByText('Month').click();
    await b.page.waitForURL(/by=month/);
    expect(new URL(b.page.url()).searchParams.get('from')).toBe('2011-09-01');
    await b.page.getByTestId('revenue-series').locator('svg').waitFor();
    expect(b.problems).toEqual([]);
  });

  it('switches to Simplified Chinese: texts, number formats, and the language stays while navigating', async () => {
    await b.page.getByTestId('lang-switch').click();
    await b.page.waitForURL(/lang=zh-CN/);
    await b.page.getByText('净收入').waitFor();
    const now = await api('/v1/analytics/kpis?from=2011-09-01&to=2011-12-01');
    expect(await text('[data-testid=kpi-netRevenue] .ant-statistic-content-value')).toBe(
      gbp('zh-CN').format(now['net_revenue'] as number),
    );
    await shot('overview-zh-CN');
    await b.page.getByTestId('nav').getByText('客户').click();
    await b.page.waitForURL(/\/app\/customers\?lang=zh-CN/);
    await b.page.getByTestId('segments-table').waitFor();
    await b.page.getByTestId('lang-switch').click(); // back to English
    await b.page.waitForURL((u) => !u.search.includes('lang='));
    expect(b.problems).toEqual([]);
  });

  it('shows the RFM segments of the API and the cohort heat map on Customers', async () => {
    await b.page.goto(`${s.url}/app/customers`);
    await b.page.getByTestId('segments-table').locator('tbody tr').first().waitFor();
    const segments = (await api('/v1/segments'))['segments'] as Json[];
    const rows = b.page.getByTestId('segments-table').locator('tbody tr');
    expect(await rows.count()).toBe(segments.length);
    for (const [i, seg] of segments.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      expect(cells[0]).toBe(seg['label']);
      expect(cells[1]).toBe(int('en').format(seg['customers'] as number));
    }
    await b.page.getByTestId('cohorts').locator('svg').waitFor();
    await b.page.getByTestId('segments-map').locator('svg').waitFor();
    await shot('customers');
    expect(b.problems).toEqual([]);
  });

  it('shows the churn and CLV distributions of the stored predictions', async () => {
    await b.page.goto(`${s.url}/app/customers`);
    await b.page.getByTestId('churn-distribution').locator('svg').waitFor();
    await b.page.getByTestId('clv-distribution').locator('svg').waitFor();
    const d = await api('/v1/analytics/predictions');
    expect(d['available']).toBe(true);
    const byRisk = (d['churn'] as Json)['by_risk'] as Json[];
    const tags = await b.page.getByTestId('churn-by-risk').locator('.ant-tag').allInnerTexts();
    expect(tags).toEqual(
      byRisk.map(
        (r) =>
          `${String(r['risk'])[0]!.toUpperCase()}${String(r['risk']).slice(1)} risk: ${int('en').format(r['customers'] as number)}`,
      ),
    );
    // One bar per bin: the customers of every bin add up to the customers scored.
    const bins = (d['churn'] as Json)['bins'] as Json[];
    expect(bins.reduce((n, x) => n + (x['customers'] as number), 0)).toBe(d['customers']);
    expect(await text('[data-testid=distributions-summary]')).toContain(
      int('en').format(d['customers'] as number),
    );
    expect(b.problems).toEqual([]);
  });

  it('pages, searches, filters and sorts the customer table through the API, all in the URL', async () => {
    await b.page.goto(`${s.url}/app/customers`);
    const table = b.page.getByTestId('customer-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const firstCells = async () =>
      (await table.locator('tbody tr.ant-table-row').first().locator('td').allInnerTexts()).map((c) =>
        c.trim(),
      );
    const total = async () => (await b.page.getByTestId('customer-total').innerText()).trim();
    // Default: by spend, highest first, 20 a page.
    let page = await api('/v1/customers');
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(20);
    expect(await total()).toBe(`${int('en').format(page['total'] as number)} customers`);
    let first = (page['customers'] as Json[])[0]!;
    expect((await firstCells()).slice(0, 3)).toEqual([
      first['customer_id'],
      first['country'] ?? '–',
      first['segment_label'],
    ]);
    expect((await firstCells())[5]).toBe(gbp('en').format(first['spend'] as number));

    // The next page is the API's page 2.
    await b.page.locator('.ant-pagination-item-2').click();
    await b.page.waitForURL(/page=2/);
    page = await api('/v1/customers?page=2');
    first = (page['customers'] as Json[])[0]!;
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=customer-table] tbody tr.ant-table-row td')?.innerText.trim() === ${JSON.stringify(first['customer_id'])}`,
    );

    // Sort by churn probability (a click on the header: highest first), back to page 1.
    await table.locator('th', { hasText: 'Churn probability' }).click();
    await b.page.waitForURL(
      (u) => u.searchParams.get('sort') === 'churn_probability' && !u.searchParams.has('page'),
    );
    // Highest first is the API's default order for a figure, so the URL need not name it.
    expect(new URL(b.page.url()).searchParams.get('order')).toBeNull();
    page = await api('/v1/customers?sort=churn_probability');
    first = (page['customers'] as Json[])[0]!;
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=customer-table] tbody tr.ant-table-row td')?.innerText.trim() === ${JSON.stringify(first['customer_id'])}`,
    );

    // A segment filter: the total is the segment's size on /v1/segments.
    const champions = ((await api('/v1/segments'))['segments'] as Json[]).find(
      (x) => x['segment'] === 'champions',
    )!;
    await chooseOption(b.page, b.page.getByTestId('filter-segment'), 'Champions', (timeout) =>
      b.page.waitForURL(/segment=champions/, { timeout }),
    );
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=customer-total]')?.innerText.trim() === ${JSON.stringify(`${int('en').format(champions['customers'] as number)} customers`)}`,
    );

    // Search by id (from a fresh view): the rows are the API's for that search, and the view is a link.
    await b.page.goto(`${s.url}/app/customers`);
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await b.page.getByTestId('customer-search').locator('input').fill('1234');
    await b.page.getByTestId('customer-search').locator('input').press('Enter');
    await b.page.waitForURL(/q=1234/);
    const url = new URL(b.page.url());
    expect(url.search).toBe('?q=1234');
    const searched = await api('/v1/customers?q=1234');
    expect(searched['total']).toBeGreaterThan(0);
    await b.page.waitForFunction(
      `document.querySelectorAll('[data-testid=customer-table] tbody tr.ant-table-row').length === ${(searched['customers'] as Json[]).length}`,
    );
    for (const c of searched['customers'] as Json[]) expect(String(c['customer_id'])).toContain('1234');
    await shot('customers-table');

    // The row opens the customer's page.
    const id = String((searched['customers'] as Json[])[0]!['customer_id']);
    await table.getByRole('link', { name: id }).click();
    await b.page.waitForURL(new RegExp(`/app/customers/${id}$`));
    await b.page.getByTestId('customer-spend').waitFor();
    expect(b.problems).toEqual([]);
  }, 240_000);

  it("opens a customer's page with the profile's numbers and the API's recommendations", async () => {
    await b.page.goto(`${s.url}/app/customers`);
    await b.page.getByTestId('open-customer').locator('input').fill('12347');
    await b.page.getByTestId('open-customer').locator('input').press('Enter');
    await b.page.waitForURL(/\/app\/customers\/12347$/);
    await b.page.getByTestId('customer-spend').waitFor();
    const profile = await api('/v1/customers/12347/profile');
    const orders = profile['orders'] as Json;
    expect(await text('[data-testid=customer-spend]')).toBe(gbp('en').format(orders['spend'] as number));
    expect(await text('[data-testid=customer-orders]')).toBe(int('en').format(orders['sales'] as number));
    await b.page.getByTestId('recommendations').locator('tbody tr').first().waitFor();
    const recs = (await api('/v1/recommendations/user/12347?k=10&preview=true'))['items'] as Json[];
    const rows = b.page.getByTestId('recommendations').locator('tbody tr');
    expect(await rows.count()).toBe(recs.length);
    expect(await rows.first().locator('td').nth(1).innerText()).toBe(recs[0]!['title']);
    await shot('customer-12347');
    expect(b.problems).toEqual([]);
  });

  it('shows the empty state, not an error, for a customer the store does not know', async () => {
    const before = b.problems.length;
    await b.page.goto(`${s.url}/app/customers/no-such-customer`);
    await b.page.locator('[data-state=empty]').first().waitFor();
    // The 404 of the profile is the expected answer here; nothing else may fail.
    expect(
      b.problems.slice(before).filter((p) => !p.includes('/v1/customers/no-such-customer/profile')),
    ).toEqual([]);
    b.problems.length = before;
  });

  it('shows bought-together, similar items and a recommendation preview whose rules are in the URL', async () => {
    await b.page.goto(`${s.url}/app/products?product=85123A&customer=12347`);
    for (const id of ['together', 'similar', 'preview']) {
      await b.page.getByTestId(id).locator('tbody tr').first().waitFor();
    }
    const together = (await api('/v1/recommendations/item/85123A/together?k=10&preview=true'))[
      'items'
    ] as Json[];
    const rows = b.page.getByTestId('together').locator('tbody tr');
    expect(await rows.count()).toBe(together.length);
    expect(await rows.first().locator('td').nth(2).innerText()).toBe(together[0]!['reason']);
    const similar = (await api('/v1/recommendations/item/85123A?k=10&preview=true'))['items'] as Json[];
    expect(
      await b.page.getByTestId('similar').locator('tbody tr').first().locator('td').nth(1).innerText(),
    ).toBe(similar[0]!['title']);
    // A rule set in the control reaches the URL and the request; the list is the API's under that rule.
    await b.page.getByTestId('rule-max_per_category').locator('input').fill('1');
    await b.page.getByTestId('rule-max_per_category').locator('input').press('Tab');
    await b.page.waitForURL(/max_per_category=1/);
    const ruled = (await api('/v1/recommendations/user/12347?k=10&max_per_category=1&preview=true'))[
      'items'
    ] as Json[];
    await b.page.waitForFunction(
      `document.querySelectorAll('[data-testid=preview] tbody tr').length === ${ruled.length}`,
    );
    expect(
      await b.page.getByTestId('preview').locator('tbody tr').first().locator('td').nth(1).innerText(),
    ).toBe(ruled[0]!['title']);
    await b.page.getByTestId('top-by_revenue').locator('tbody tr').first().waitFor();
    await shot('products');
    expect(b.problems).toEqual([]);
  });

  it('logs no recommendation impression for what the dashboard showed (its lists are previews)', async () => {
    // The customer and products pages above asked for recommendation lists 5 times. Impressions are
    // written every second; wait for two flushes, then count.
    await new Promise((r) => setTimeout(r, 2500));
    const [row] = await s.ctx.db.read((wh) =>
      wh.rows<{ n: number }>('SELECT count(*) AS n FROM recommendation_impressions'),
    );
    expect(Number(row!.n)).toBe(0);
    // A storefront call (no preview) is logged: the count above could have been more than 0.
    await api('/v1/recommendations/user/12347?k=10');
    await expect
      .poll(
        async () =>
          Number(
            (
              await s.ctx.db.read((wh) =>
                wh.rows<{ n: number }>('SELECT count(*) AS n FROM recommendation_impressions'),
              )
            )[0]!.n,
          ),
        { timeout: 10_000 },
      )
      .toBe(1);
  });

  it("shows the stored forecast with its intervals, the model and the API's figures", async () => {
    await b.page.goto(`${s.url}/app/forecasts`);
    await b.page.getByTestId('forecast-chart').locator('svg').waitFor();
    const f = await api('/v1/forecasts?level=total&limit=50');
    const series = (f['series'] as Json[])[0]!;
    expect(await text('[data-testid=forecast-model]')).toContain(`Model: ${String(series['model'])}`);
    const first = (series['forecast'] as Json[])[0]!;
    const one = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
    const cells = await b.page
      .getByTestId('forecast-table')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allInnerTexts();
    expect(cells.slice(1).map((c) => c.trim())).toEqual([
      one.format(first['forecast'] as number),
      `${one.format(first['lo80'] as number)} – ${one.format(first['hi80'] as number)}`,
      `${one.format(first['lo95'] as number)} – ${one.format(first['hi95'] as number)}`,
    ]);
    await shot('forecasts');
    expect(b.problems).toEqual([]);
  });

  it('lists the held orders with their reasons and moves the review-rate slider, as the API answers', async () => {
    await b.page.goto(`${s.url}/app/risk#key=${s.keys.read}`); // the key too: runnable alone (-t)
    const table = b.page.getByTestId('risk-orders');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const four = new Intl.NumberFormat('en', { maximumFractionDigits: 4 });
    // Held orders by default, riskiest first, 20 a page.
    const held = await api('/v1/risk/orders?held=true&page=1&page_size=20');
    const heldRows = held['orders'] as Json[];
    expect(held['total']).toBeGreaterThan(0);
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(heldRows.length);
    expect(await text('[data-testid=risk-total]')).toBe(
      `${int('en').format(held['total'] as number)} orders`,
    );
    const cells = (await table.locator('tbody tr.ant-table-row').first().locator('td').allInnerTexts()).map(
      (c) => c.trim(),
    );
    const top = heldRows[0]!;
    expect(cells[0]).toBe(top['order_id']);
    expect(cells[4]).toBe(gbp('en').format(top['total'] as number));
    expect(cells[5]).toContain(four.format(top['score'] as number));
    expect(cells[6]).toContain((top['reasons'] as string[])[0]);

    // The slider starts at the model's review rate: its threshold and the orders it holds.
    const rates = await api('/v1/risk/review-rates');
    const points = rates['rates'] as Json[];
    const at = points.findIndex((p) => p['rate'] === rates['review_rate']);
    const expectPoint = async (p: Json) => {
      await b.page.waitForFunction(
        `document.querySelector('[data-testid=risk-rate-orders]')?.innerText.trim() === ${JSON.stringify(
          `${int('en').format(p['orders'] as number)} of ${int('en').format(rates['scored'] as number)} scored`,
        )}`,
      );
      expect(await text('[data-testid=risk-rate-threshold]')).toBe(four.format(p['threshold'] as number));
    };
    expect(rates['labelled']).toBe(false);
    await expectPoint(points[at]!);
    // Without labels the page claims no precision or recall, and says how to get them.
    await b.page.getByTestId('risk-no-labels').waitFor();
    expect(await b.page.getByTestId('risk-rate-expected').count()).toBe(0);
    await shot('risk');
    // One step right: the next rate of the curve, in the URL.
    await b.page.getByTestId('risk-rates').locator('.ant-slider-handle').focus();
    await b.page.keyboard.press('ArrowRight');
    const next = points[at + 1]!;
    await b.page.waitForURL((u) => u.searchParams.get('rate') === String(next['rate']));
    await expectPoint(next);

    // Every scored order: the API's first row, and the view is in the URL.
    await b.page.getByTestId('risk-view').getByText('All scored').click();
    await b.page.waitForURL((u) => u.searchParams.get('view') === 'all');
    const all = await api('/v1/risk/orders?page=1&page_size=20');
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=risk-total]')?.innerText.trim() === ${JSON.stringify(`${int('en').format(all['total'] as number)} orders`)}`,
    );
    expect(all['total']).toBe(rates['scored']);
    expect(await text('[data-testid=risk-orders] tbody tr.ant-table-row td')).toBe(
      (all['orders'] as Json[])[0]!['order_id'],
    );
    expect(b.problems).toEqual([]);
  }, 120_000);

  it('shows the campaign report and the uplift target list for a budget, as the API answers', async () => {
    await b.page.goto(`${s.url}/app/marketing#key=${s.keys.read}`);
    const arms = b.page.getByTestId('campaign-arms');
    await arms.locator('tbody tr.ant-table-row').first().waitFor();
    const report = await api('/v1/campaigns/spring/report');
    const control = report['control'] as Json;
    const treated = report['treated'] as Json[];
    // The control first, then each treatment: contacts and visit rate as the report counts them.
    const pct2 = new Intl.NumberFormat('en', {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    for (const [i, a] of [control, ...treated].entries()) {
      const cells = (await arms.locator('tbody tr.ant-table-row').nth(i).locator('td').allInnerTexts()).map(
        (c) => c.trim(),
      );
      expect(cells[0]).toContain(a['variant']);
      expect(cells[1]).toBe(int('en').format(a['contacts'] as number));
      const known = a['known'] as Json;
      const successes = a['successes'] as Json;
      expect(cells[2]).toBe(pct2.format((successes['visit'] as number) / (known['visit'] as number)));
    }
    // Each treatment against the control: the visit difference in points with its interval.
    const two = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
    const pts = (x: number) => `${x >= 0 ? '+' : '−'}${two.format(Math.abs(x) * 100)}`;
    const first = ((report['comparisons'] as Json[])[0]!['outcomes'] as Json)['visit'] as Json;
    const ci = first['ci'] as [number, number];
    expect(
      await text('[data-testid=campaign-comparisons] tbody tr.ant-table-row [data-role=difference]'),
    ).toBe(`${pts(first['difference'] as number)} pts (${pts(ci[0])} … ${pts(ci[1])})`);
    expect(await text('[data-testid=campaign-method]')).toBe(report['method']);

    // The target list at the default budget (30%), scored by the promoted uplift model.
    const list = b.page.getByTestId('target-list');
    await list.locator('tbody tr.ant-table-row').first().waitFor();
    const summary = (x: Json) =>
      `${int('en').format(x['listed'] as number)} of the ${int('en').format(x['budget_customers'] as number)} the budget allows (${int('en').format(x['customers'] as number)} contacts)`;
    let targets = await api('/v1/campaigns/spring/targets?budget=0.3&limit=100');
    expect(await text('[data-testid=target-summary]')).toBe(summary(targets));
    const firstRow = (targets['rows'] as Json[])[0]!;
    const cells = (await list.locator('tbody tr.ant-table-row').first().locator('td').allInnerTexts()).map(
      (c) => c.trim(),
    );
    expect(cells.slice(0, 3)).toEqual(['1', firstRow['customer_id'], firstRow['treatment']]);
    // Columns: rank, customer, treatment, expected uplift, reasons (no profit column without cost and margin).
    expect(cells[4]).toBe(firstRow['reasons']);
    await shot('marketing');

    // A smaller budget: in the URL, and the list is the API's for it.
    // antd puts the test id on the input itself.
    const budget = b.page.locator('input[data-testid=target-budget], [data-testid=target-budget] input');
    await budget.fill('10');
    await budget.press('Tab');
    await b.page.waitForURL((u) => u.searchParams.get('budget') === '0.1');
    targets = await api('/v1/campaigns/spring/targets?budget=0.1&limit=100');
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=target-summary]')?.innerText.trim() === ${JSON.stringify(summary(targets))}`,
    );
    expect(b.problems).toEqual([]);
  }, 120_000);

  it("shows a category's review sentiment by month and its top aspects, as the API answers", async () => {
    await b.page.goto(`${s.url}/app/reviews?category=home#key=${s.keys.read}`);
    await b.page.getByTestId('review-aspects').locator('tbody tr.ant-table-row').first().waitFor();
    const home = await api('/v1/reviews/insight?category=home');
    expect(home['reviews']).toBe(24);
    expect(await text('[data-testid=review-count] .ant-statistic-content-value')).toBe('24');
    expect(await text('[data-testid=review-negative-share] .ant-statistic-content-value')).toBe(
      pct('en').format((home['sentiment'] as Json)['negative_share'] as number),
    );
    const aspects = home['aspects'] as Json[];
    const rows = b.page.getByTestId('review-aspects').locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(aspects.length);
    const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(0, 4)).toEqual([
      aspects[0]!['aspect'],
      String(aspects[0]!['reviews']),
      String(aspects[0]!['positive']),
      String(aspects[0]!['negative']),
    ]);
    await b.page.getByTestId('review-months').locator('svg').waitFor();
    await shot('reviews');
    // The whole store: the category leaves the URL, the count is the API's.
    await chooseOption(b.page, b.page.getByTestId('review-category'), 'Whole store', (timeout) =>
      b.page.waitForURL((u) => !u.searchParams.has('category'), { timeout }),
    );
    const all = await api('/v1/reviews/insight');
    expect(all['reviews']).toBe(48);
    await b.page.waitForFunction(
      `document.querySelector('[data-testid=review-count] .ant-statistic-content-value')?.innerText.trim() === '48'`,
    );
    expect(b.problems).toEqual([]);
  }, 120_000);

  it('writes campaign copy for a segment, and answers a data question with an admin key, as the API does', async () => {
    await b.page.goto(`${s.url}/app/assistant?segment=at_risk`);
    await b.page.getByTestId('copy-write').click();
    await b.page.getByTestId('copy-subject').waitFor();
    const copy = await s.fetch('/v1/assistant/copy', {
      key: 'read',
      json: { segment: 'at_risk', lang: 'en' },
    });
    expect(copy.status).toBe(200);
    const c = (await copy.json()) as Json;
    expect(await text('[data-testid=copy-subject]')).toBe(c['subject']);
    await b.page.getByText('Questions run SQL on the store: they need an admin key.').waitFor();
    await shot('assistant');
    expect(b.problems).toEqual([]);

    const admin = await b.context.newPage();
    const question = 'Which country lost the most repeat customers last quarter?';
    await admin.goto(`${s.url}/app/assistant#key=${s.keys.admin}`);
    await admin.getByTestId('ask-question').locator('input').fill(question);
    await admin.getByTestId('ask-question').locator('input').press('Enter');
    await admin.getByTestId('ask-summary').waitFor();
    const ask = await s.fetch('/v1/assistant/ask', { key: 'admin', json: { question } });
    expect(ask.status).toBe(200);
    const a = (await ask.json()) as Json;
    expect((await admin.getByTestId('ask-summary').innerText()).trim()).toBe(a['summary']);
    expect((await admin.getByTestId('ask-sql').innerText()).trim()).toBe(String(a['sql']).trim());
    expect(admin.url()).toContain('question=');
    await admin.close();
  });

  it('lists model versions with the serving one; an admin key promotes another from the page', async () => {
    await b.page.goto(`${s.url}/app/models`);
    const card = b.page.getByTestId('models-recommend');
    await card.locator('tbody tr').first().waitFor();
    expect(await card.locator('tbody tr').count()).toBe(2);
    // Newest first: version 2 (popularity), then version 1 (item-knn, serving).
    expect(await card.locator('tbody tr').nth(1).innerText()).toContain('serving');
    await card.getByText('Promote and roll back need an admin key.').waitFor();
    await b.page.getByTestId('feedback').waitFor();
    await shot('models');
    expect(b.problems).toEqual([]);

    const admin = await b.context.newPage();
    await admin.goto(`${s.url}/app/models#key=${s.keys.admin}`);
    const adminCard = admin.getByTestId('models-recommend');
    await adminCard.getByRole('button', { name: 'Promote' }).click();
    await adminCard.locator('tbody tr').first().getByText('serving').waitFor();
    const models = await api('/v1/models');
    expect((models['serving'] as Record<string, Json>)['recommend']!['version']).toBe(2);
    await adminCard.getByRole('button', { name: 'Roll back' }).click();
    await adminCard.locator('tbody tr').nth(1).getByText('serving').waitFor();
    expect(((await api('/v1/models'))['serving'] as Record<string, Json>)['recommend']!['version']).toBe(1);
    await admin.close();
  });

  it('trains a recommender in the background from the page: progress, then the decision and the new version', async () => {
    const admin = await b.context.newPage();
    await admin.goto(`${s.url}/app/models#key=${s.keys.admin}`);
    await admin
      .getByTestId('training')
      .getByText('No training since the server started', { exact: false })
      .waitFor();
    await chooseOption(admin, admin.getByTestId('train-model'), /^popularity$/, (timeout) =>
      admin.getByTestId('train-model').getByText('popularity', { exact: true }).waitFor({ timeout }),
    );
    await admin.getByTestId('train-recommend').click();
    const job = admin.getByTestId('training').locator('[data-status]').first();
    await job.waitFor();
    await admin.getByTestId('training').locator('[data-status=succeeded]').waitFor({ timeout: 120_000 });
    const { jobs } = (await api('/v1/models/jobs')) as { jobs: Json[] };
    const done = jobs[0]!;
    expect(done).toMatchObject({ task: 'recommend', status: 'succeeded', promotion: 'if_not_worse' });
    const decision = (done['retrain'] as Json[])[0]!;
    expect(await admin.getByTestId('job-decision').first().innerText()).toContain(
      decision['reason'] as string,
    );
    // The models table reloaded when the job ended: three versions, and the serving one is the API's.
    const card = admin.getByTestId('models-recommend');
    await admin.waitForFunction(
      `document.querySelectorAll('[data-testid=models-recommend] tbody tr').length === 3`,
    );
    const serving = ((await api('/v1/models'))['serving'] as Record<string, Json>)['recommend']!['version'];
    expect(serving).toBe(decision['promoted'] ? 3 : 1);
    await card.locator('tbody tr', { hasText: 'serving' }).first().waitFor();
    expect(
      await card.locator('tbody tr', { hasText: 'serving' }).first().locator('td').first().innerText(),
    ).toContain(String(serving));
    await admin.screenshot({ path: join(shots, 'models-training.png'), fullPage: true });
    await admin.close();
    expect(b.problems).toEqual([]);
  }, 240_000);

  it("opens the report file with the network blocked: charts drawn, nothing fetched, KPIs equal the API's", async () => {
    const offline = await b.context.newPage();
    const attempted: string[] = [];
    await b.context.setOffline(true);
    await offline.route('**/*', (route) => {
      if (!route.request().url().startsWith('file:')) attempted.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    try {
      await offline.goto(`file://${reportFile}`);
      expect(await offline.locator('svg').count()).toBe(2);
      expect(await offline.locator('svg rect, svg path').count()).toBeGreaterThan(20);
      const period = offline.locator('#period');
      const from = await period.getAttribute('data-from');
      const to = await period.getAttribute('data-to');
      expect(to).toBe('2011-12-10'); // the day after the last order, 2011-12-09
      const k = await api(`/v1/analytics/kpis?from=${from}&to=${to}`);
      expect(await offline.locator('#kpi-netRevenue .value').innerText()).toBe(
        gbp('en').format(k['net_revenue'] as number),
      );
      expect(await offline.locator('#kpi-orders .value').innerText()).toBe(
        int('en').format(k['orders'] as number),
      );
      const segments = (await api('/v1/segments'))['segments'] as Json[];
      expect(await offline.locator('#segments tbody tr').count()).toBe(segments.length);
      await offline.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      expect(attempted).toEqual([]);
    } finally {
      await b.context.setOffline(false);
      await offline.close();
    }
  });

  it('asks for a key when the session has none, and says why a wrong one is refused', async () => {
    const fresh = await b.context.newPage();
    await fresh.goto(`${s.url}/app/overview`);
    await fresh.evaluate('sessionStorage.clear()');
    await fresh.reload();
    await fresh.getByTestId('key-form').waitFor();
    await fresh.locator('input[type=password]').fill('ssk_00000000_wrong');
    await fresh.getByRole('button', { name: 'Connect' }).click();
    await fresh.getByText(/The API refused this key/).waitFor();
    await fresh.close();
  });
});
