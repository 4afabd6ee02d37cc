/**
 * The Overview's API calls for a period, in one place: the page asks for exactly these, and the
 * boot script (src/boot.ts) starts them before the page's code has arrived, so the answers and the
 * JavaScript load side by side instead of one after the other.
 */
import type { Query } from '../../api/client';
import { previousPeriod, type Period } from '../../components/period';

export const BUCKETS = ['day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The revenue series' bucket from the URL (week by default). */
export function bucketFrom(params: URLSearchParams): Bucket {
  return BUCKETS.find((b) => b === params.get('by')) ?? 'week';
}

export type Request = readonly [path: string, query: Query];

export function overviewRequests(period: Period, by: Bucket = 'week') {
  const p = { from: period.from, to: period.to };
  return {
    kpis: ['/v1/analytics/kpis', p],
    kpisBefore: ['/v1/analytics/kpis', { ...previousPeriod(p) }],
    series: ['/v1/analytics/series', { ...p, by }],
    countries: ['/v1/analytics/countries', p],
    categories: ['/v1/analytics/categories', p],
    products: ['/v1/analytics/products', { ...p, top: 10 }],
  } satisfies Record<string, Request>;
}
