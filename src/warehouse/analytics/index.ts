/**
 * @module warehouse/analytics
 * Descriptive analytics over the canonical tables: KPIs, revenue series and breakdowns, cohorts,
 * RFM segments and the browsing funnel. Every function takes (wh, options) and returns plain typed
 * objects; definitions and formulas are in docs/analytics.md.
 */
export * from './period.js';
export { UNDONE_STATUSES } from './sql.js';
export * from './kpis.js';
export * from './revenue-series.js';
export * from './breakdowns.js';
export * from './cohorts.js';
export * from './rfm-segments.js';
export * from './rfm.js';
export * from './funnel.js';
export * from './report.js';
export * from './recommendations.js';
export * from './store-range.js';
export * from './customer-table.js';
export * from './prediction-distributions.js';
