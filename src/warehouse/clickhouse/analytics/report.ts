/**
 * @module warehouse/clickhouse/analytics/report
 * analytics/report.ts on ClickHouse: the sections built for it so far (KPIs, revenue series,
 * cohorts), each equal to DuckDB's by the contract suite. A section not built yet is refused by name
 * before any query runs, never answered from a different definition.
 */
import type { AnalyticsReport, ReportOptions, Section } from '../../analytics/report.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chCohortRetention } from './cohorts.js';
import { chKpis } from './kpis.js';
import { chRevenueSeries } from './revenue-series.js';

/** The `analyze` sections that run on ClickHouse (docs/clickhouse.md). */
export const CLICKHOUSE_SECTIONS = ['kpis', 'series', 'cohorts'] as const satisfies readonly Section[];

export class SectionsNotOnClickHouseError extends Error {
  override readonly name = 'SectionsNotOnClickHouseError';
  constructor(readonly sections: readonly Section[]) {
    super(
      `section${sections.length > 1 ? 's' : ''} ${sections.join(', ')} ` +
        `${sections.length > 1 ? 'do' : 'does'} not run on ClickHouse yet; ` +
        `ask for --section ${CLICKHOUSE_SECTIONS.join(',')} (docs/clickhouse.md lists what is built)`,
    );
  }
}

/** Throws SectionsNotOnClickHouseError when `sections` asks for one not built on ClickHouse. */
export function checkClickHouseSections(sections: readonly Section[]): void {
  const missing = sections.filter((s) => !(CLICKHOUSE_SECTIONS as readonly Section[]).includes(s));
  if (missing.length) throw new SectionsNotOnClickHouseError(missing);
}

export async function chAnalyticsReport(
  ch: ClickHouseStore,
  options: Pick<ReportOptions, 'from' | 'to' | 'by' | 'sections'> = {},
): Promise<AnalyticsReport> {
  const want = options.sections ?? CLICKHOUSE_SECTIONS;
  checkClickHouseSections(want);
  const period = { from: options.from, to: options.to };
  const report: AnalyticsReport = {};
  if (want.includes('kpis')) report.kpis = await chKpis(ch, { period });
  if (want.includes('series')) {
    report.series = await chRevenueSeries(ch, { period, granularity: options.by ?? 'month' });
  }
  if (want.includes('cohorts')) report.cohorts = await chCohortRetention(ch, { period });
  return report;
}
