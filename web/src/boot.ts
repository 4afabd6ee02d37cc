/**
 * What the entry (main.tsx) does before the app's code has loaded; it imports nothing heavy. Takes
 * the key from the URL, then starts the calls the first view needs (who the key is, the store's
 * range, and for the Overview its six analytics calls) and the Overview's code, so that answers and
 * JavaScript arrive side by side instead of one after the other. The app takes the started answers
 * through apiGet (api/client.ts); without a key, or on another page, it only moves the key.
 */
import { prefetchGet } from './api/client';
import { sessionKey, takeKeyFromUrl } from './api/session';
import type { RangeBody } from './api/types';
import { periodFrom } from './components/period';
import { bucketFrom, overviewRequests } from './pages/overview/requests';

export function startFirstView(): void {
  takeKeyFromUrl();
  if (!sessionKey()) return;
  void prefetchGet('/v1/me');
  const range = prefetchGet<RangeBody>('/v1/analytics/range');
  if (!/^\/(app\/overview\/?)?$/.test(window.location.pathname)) return;
  void import('./pages/overview/OverviewPage');
  range.then(
    (r) => {
      const params = new URLSearchParams(window.location.search);
      const period = periodFrom(params, { lastOrderAt: r.last_order_at });
      if (!period) return;
      for (const [path, query] of Object.values(overviewRequests(period, bucketFrom(params)))) {
        void prefetchGet(path, query);
      }
    },
    () => undefined,
  );
}
