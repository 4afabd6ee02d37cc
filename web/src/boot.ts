/**
 * What the entry (main.tsx) does before the app's code has loaded; it imports nothing heavy. Takes
 * the key from the URL, then starts the calls the first view needs (who the key is, the store's
 * range, and for the Overview its six analytics calls). On the Overview it then draws the first view
 * (first-view/first-view.ts: KPI cards and revenue chart without React or antd) as soon as those
 * answers are in, and only after that paint lets the entry load the app, whose libraries take most
 * of a slow machine's first second to evaluate. The app takes the started answers through apiGet
 * (api/client.ts); without a key, or on another page, it only moves the key and the app loads at once.
 */
import { prefetchGet } from './api/client';
import { sessionKey, takeKeyFromUrl } from './api/session';
import type { CountriesBody, KpisBody, ProductsBody, RangeBody, SeriesBody } from './api/types';
import { periodFrom } from './components/period';
import { langFrom } from './i18n/format';
import { bucketFrom, overviewRequests } from './pages/overview/requests';

/** After the browser has painted what is on screen now. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Resolves when the app may load: the first view is on screen, or there is none to draw. */
export async function startFirstView(): Promise<void> {
  takeKeyFromUrl();
  if (!sessionKey()) return;
  void prefetchGet('/v1/me');
  const range = prefetchGet<RangeBody>('/v1/analytics/range');
  if (!/^\/(app\/overview\/?)?$/.test(window.location.pathname)) return;
  const firstView = import('./first-view/first-view');
  const r = await range.catch(() => null);
  const params = new URLSearchParams(window.location.search);
  const period = r && periodFrom(params, { lastOrderAt: r.last_order_at });
  if (!r || !period) return;
  const q = overviewRequests(period, bucketFrom(params));
  const answers = {
    kpis: prefetchGet<KpisBody>(...q.kpis),
    kpisBefore: prefetchGet<KpisBody>(...q.kpisBefore),
    series: prefetchGet<SeriesBody>(...q.series),
    countries: prefetchGet<CountriesBody>(...q.countries),
    products: prefetchGet<ProductsBody>(...q.products),
  };
  void prefetchGet(...q.categories);
  try {
    const drawn = await (await firstView).drawFirstView(answers, period, r, langFrom(params));
    if (drawn) await afterPaint();
  } catch (err) {
    // The app draws the Overview anyway; the first view only comes earlier.
    console.warn('the first view was not drawn:', err);
  }
}
