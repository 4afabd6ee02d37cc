/**
 * @module server/snake-case
 * Response bodies use snake_case field names; the analytics library returns camelCase objects
 * (the CLI's --json prints them as they are). `snakeKeys` renames every object key, deeply, and
 * leaves values alone, so the API and `shopsight analyze --json` carry the same numbers.
 *
 * @example
 *   snakeKeys({ grossRevenue: 1, period: { from: null } }); // { gross_revenue: 1, period: { from: null } }
 */

/** 'grossRevenue' -> 'gross_revenue'; 'avgRecencyDays' -> 'avg_recency_days'; snake names stay. */
export function snakeName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function snakeKeys<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeKeys(v));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeName(k), snakeKeys(v)]));
}
