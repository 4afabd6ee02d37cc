/**
 * The dashboard (issue 18): how long the Overview takes to show on the Online Retail store, and what
 * the browser downloads. The real server (startTestServer) over the imported sample; Debian's
 * Chromium through playwright-core with the browser tests' flags. A load is timed from navigation to
 * the KPI cards and the top-products table shown (every Overview request answered and drawn), each
 * in a fresh browser profile (no cache): the first against a server that has just started, then
 * five more against the warm server. The bundle is dist/web/assets, gzip level 9 as the server sends
 * it. Needs `npm run build` (bench runs it) and /usr/bin/chromium.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DASHBOARD_DIR } from '../../src/server/routes/dashboard.js';
import { chromiumMissing, openTestBrowser } from '../../src/server/test-browser.js';
import { startTestServer } from '../../src/server/test-server.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { BenchContext } from '../context.js';

const WARM_LOADS = 5;

async function timeOverview(url: string): Promise<number> {
  const b = await openTestBrowser();
  try {
    const started = performance.now();
    await b.page.goto(url);
    await b.page.getByTestId('kpi-netRevenue').locator('.ant-statistic-content-value').waitFor();
    await b.page.getByTestId('top-products').waitFor();
    await b.page.getByTestId('revenue-series').locator('svg').waitFor();
    const ms = performance.now() - started;
    if (b.problems.length) throw new Error(`the Overview had problems: ${b.problems.join('; ')}`);
    return ms;
  } finally {
    await b.close();
  }
}

export async function dashboard(ctx: BenchContext): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const assets = join(DASHBOARD_DIR, 'assets');
  let raw = 0;
  let gz = 0;
  let entry = 0;
  const index = readFileSync(join(DASHBOARD_DIR, 'index.html'), 'utf8');
  for (const f of readdirSync(assets)) {
    const body = readFileSync(join(assets, f));
    const g = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += g;
    // What index.html loads before any page: the entry and its preloaded chunks.
    if (index.includes(f)) entry += g;
  }
  const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
  ctx.report({
    name: 'JS + CSS bundle (dist/web/assets), gzip',
    figure: `${kb(gz)} gzip (${kb(raw)} raw) in all; ${kb(entry)} gzip loaded by index.html before a page's own chunk`,
    baseline: '',
    target: 'recorded',
    ok: true,
  });

  const s = await startTestServer({
    seed: async (wh) => {
      await importSource(wh, {
        target: join(ctx.root, 'fixtures/online-retail/online_retail.csv.gz'),
        preset: getPreset('online-retail'),
      });
    },
  });
  try {
    const url = `${s.url}/#key=${s.keys.read}`;
    const cold = await timeOverview(url);
    ctx.report({
      name: 'Overview first load, server just started, empty browser cache',
      figure: `${(cold / 1000).toFixed(2)} s`,
      baseline: '',
      target: '< 2 s',
      ok: cold < 2000,
    });
    const warm: number[] = [];
    for (let i = 0; i < WARM_LOADS; i++) warm.push(await timeOverview(url));
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)]!;
    ctx.report({
      name: `Overview first load, warm server, empty browser cache (${WARM_LOADS} loads)`,
      figure: `median ${(median / 1000).toFixed(2)} s, min ${(warm[0]! / 1000).toFixed(2)} s, max ${(warm.at(-1)! / 1000).toFixed(2)} s`,
      baseline: '',
      target: '< 2 s',
      ok: median < 2000,
    });
  } finally {
    await s.close();
  }
}
