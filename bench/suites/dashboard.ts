/**
 * The dashboard (issue 18): how long the Overview takes to show on the Online Retail store, where
 * that time goes, and what the browser downloads. The real server (startTestServer) over the
 * imported sample; Debian's Chromium through playwright-core with the browser tests' flags.
 *
 * "First load" is navigation start (the page's performance.timeOrigin) to the frame in which the KPI
 * cards and the revenue chart show real numbers: the first view (web/src/first-view/, drawn before
 * React and antd load) with its net revenue card filled and its chart's SVG drawn. The time to the
 * interactive app (antd KPI cards, top products table and chart of the React Overview, which then
 * replace the first view) is reported beside it, and the first view's net revenue must equal the
 * app's. Both are read in the page (waitForFunction, polled every frame), so the test runner's own
 * latency is not in them. Each load is in a fresh browser profile (no cache): the first against a
 * server that has just started (cold: DuckDB's first queries, the analytics cache empty), then
 * WARM_LOADS more against the warm server; the median is reported. One more load, not timed, runs
 * under Chromium's CPU profiler to split the main thread's time by script (chunk) and says where the
 * time goes. The bundle is dist/web/assets, gzip level 9 as the server sends it; "loaded by the
 * first view" is every asset the page fetched before the first view showed.
 * Needs `npm run build` (bench runs it) and /usr/bin/chromium.
 *
 *   BENCH_ONLY=dashboard npm run bench
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DASHBOARD_DIR } from '../../src/server/routes/dashboard.js';
import { chromiumMissing, openTestBrowser, shownAt } from '../../src/server/test-browser.js';
import { startTestServer } from '../../src/server/test-server.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { BenchContext } from '../context.js';

const WARM_LOADS = 7;

interface Load {
  /** Navigation start to the first view's KPI cards and revenue chart drawn, ms. */
  readonly firstView: number;
  /** Navigation start to the app's own Overview (antd cards, chart, top products) visible, ms. */
  readonly app: number;
  /** The last API answer that ended before the first view showed, ms after navigation start. */
  readonly apiDone: number;
  /** Asset files fetched before the first view showed. */
  readonly assets: string[];
  /** Main-thread script time (Chromium's Performance metrics) up to the app being shown, ms. */
  readonly scriptMs: number;
}

const FIRST_VIEW = [
  '[data-testid=first-kpi-netRevenue] [data-role=value]',
  '[data-testid=first-revenue-series] svg',
];
const APP = [
  '[data-testid=kpi-netRevenue] .ant-statistic-content-value',
  '[data-testid=top-products] tbody tr',
  '[data-testid=revenue-series] svg',
];

async function loadOverview(
  url: string,
  profile = false,
): Promise<Load & { bySource?: Map<string, number> }> {
  const b = await openTestBrowser();
  try {
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send('Performance.enable');
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await b.page.goto(url, { waitUntil: 'commit' });
    // The KPI cards and revenue chart with numbers: the first view's, or the app's should it come
    // first (a build without a first view is measured the same way).
    const firstView = await shownAt(b.page, [FIRST_VIEW, [APP[0]!, APP[2]!]]);
    let bySource: Map<string, number> | undefined;
    if (profile) bySource = selfTimeBySource((await cdp.send('Profiler.stop')).profile);
    // Read at once, not waited for: the app may have replaced the first view already.
    const firstNet = await b.page.evaluate<string | null>(
      `document.querySelector('${FIRST_VIEW[0]}')?.textContent ?? null`,
    );
    const app = await shownAt(b.page, [APP]);
    const appNet = await b.page.locator(APP[0]!).innerText();
    if (firstNet !== null && firstNet !== appNet) {
      throw new Error(`the first view showed net revenue ${firstNet}, the app ${appNet}`);
    }
    const resources = await b.page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => ({ name: e.name, end: (e as unknown as { responseEnd: number }).responseEnd })),
    );
    const before = resources.filter((r) => r.end <= firstView);
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const scriptMs = 1000 * (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0);
    if (b.problems.length) throw new Error(`the Overview had problems: ${b.problems.join('; ')}`);
    return {
      firstView,
      app,
      apiDone: Math.max(0, ...before.filter((r) => r.name.includes('/v1/')).map((r) => r.end)),
      assets: before
        .filter((r) => r.name.includes('/assets/'))
        .map((r) => basename(new URL(r.name).pathname)),
      scriptMs,
      ...(bySource ? { bySource } : {}),
    };
  } finally {
    await b.close();
  }
}

/** The part of Chromium's CPU profile (DevTools protocol, Profiler.stop) read here. */
interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { url: string; functionName: string } }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Main-thread self time (ms) by script file, or by activity ("(program)", "(garbage collector)"). */
function selfTimeBySource(p: CpuProfile): Map<string, number> {
  const sourceOf = new Map(
    p.nodes.map((n) => [
      n.id,
      n.callFrame.url ? basename(new URL(n.callFrame.url).pathname) : n.callFrame.functionName || '(native)',
    ]),
  );
  const bySource = new Map<string, number>();
  const deltas = p.timeDeltas ?? [];
  (p.samples ?? []).forEach((id, i) => {
    const src = sourceOf.get(id) ?? '?';
    bySource.set(src, (bySource.get(src) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  return bySource;
}

const s1 = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function dashboard(ctx: BenchContext): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const assetsDir = join(DASHBOARD_DIR, 'assets');
  const gzipOf = new Map<string, { raw: number; gz: number }>();
  for (const f of readdirSync(assetsDir)) {
    const body = readFileSync(join(assetsDir, f));
    gzipOf.set(f, { raw: body.length, gz: gzipSync(body, { level: 9 }).length });
  }
  const sum = (files: Iterable<string>, k: 'raw' | 'gz') =>
    [...files].reduce((t, f) => t + (gzipOf.get(f)?.[k] ?? 0), 0);
  const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;

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
    const cold = await loadOverview(url);
    const warm: Load[] = [];
    for (let i = 0; i < WARM_LOADS; i++) warm.push(await loadOverview(url));
    const profiled = await loadOverview(url, true);

    const firstFiles = new Set(cold.assets);
    ctx.report({
      name: 'JS + CSS bundle (dist/web/assets), gzip',
      figure: `${kb(sum(gzipOf.keys(), 'gz'))} gzip (${kb(sum(gzipOf.keys(), 'raw'))} raw) in all; the first view loads ${kb(sum(firstFiles, 'gz'))} gzip (${kb(sum(firstFiles, 'raw'))} raw, ${firstFiles.size} files)`,
      baseline: '',
      target: 'recorded',
      ok: true,
    });
    ctx.report({
      name: 'Overview first load (navigation to KPI cards and revenue chart with real numbers), server just started, empty browser cache',
      figure: `${s1(cold.firstView)}; the interactive app ${s1(cold.app)}`,
      baseline: `API answers in by ${s1(cold.apiDone)}`,
      target: '< 2 s',
      ok: cold.firstView < 2000,
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const fv = warm.map((l) => l.firstView);
    ctx.report({
      name: `Overview first load, warm server, empty browser cache (median of ${WARM_LOADS} loads)`,
      figure: `median ${s1(median(fv))} (min ${s1(Math.min(...fv))}, max ${s1(Math.max(...fv))}); the interactive app median ${s1(median(warm.map((l) => l.app)))}`,
      baseline: `API answers in by ${s1(median(warm.map((l) => l.apiDone)))}; main-thread script ${s1(median(warm.map((l) => l.scriptMs)))} up to the app`,
      target: '< 2 s',
      ok: median(fv) < 2000,
    });
    const top = [...(profiled.bySource ?? new Map<string, number>()).entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([src, ms]) => `| ${src} | ${ms.toFixed(0)} ms |`);
    ctx.note(
      [
        `Where a warm load's main thread goes until the first view shows (Chromium's CPU profiler, self time by script, one load; first view at ${s1(profiled.firstView)}; the profiler slows the page):`,
        '',
        '| script or activity | self time |',
        '|---|---|',
        ...top,
      ].join('\n'),
    );
  } finally {
    await s.close();
  }
}
