/**
 * @module cli/commands/demo
 * `shopsight demo` (the quick start's first command; `npm start` runs `shopsight start`, which
 * imports the same store when it is empty, then serves): import the bundled UCI Online Retail store into
 * ./shopsight.duckdb and print the import summary and the headline analytics.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildReport, renderReport, type AnalyzeReport } from './analyze.js';
import { renderImportSummary, runImport } from './import.js';
import type { ImportSummary } from '../../ingest/summary.js';
import { dbOption, jsonOption, printJson, suggest, withWarehouse } from '../context.js';

/** The bundled sample: UCI Online Retail (Chen et al. 2012), CC BY 4.0; see README "Datasets". */
export const SAMPLE_STORE = fileURLToPath(
  new URL('../../../fixtures/online-retail/online_retail.csv.gz', import.meta.url),
);

/** What the demo suggests next; cli/quick-start.test.ts runs each of them on the demo's store. */
export const DEMO_NEXT = [
  'status',
  'quarantine --limit 5',
  'analyze --from 2011-09-01 --to 2011-12-01 --section kpis,countries',
  'analyze --help',
];

export function demoCommand(): Command {
  return new Command('demo')
    .description('import the bundled Online Retail sample store and print its summary and KPIs')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { db?: string; json?: boolean }) => {
      if (!existsSync(SAMPLE_STORE)) throw new Error(`the bundled sample is missing: ${SAMPLE_STORE}`);
      const summary: ImportSummary = await runImport(SAMPLE_STORE, { preset: 'online-retail', db: opts.db });
      const report: AnalyzeReport = await withWarehouse(opts.db, (wh) =>
        buildReport(wh, {
          by: 'month',
          top: 10,
          section: ['kpis', 'series', 'countries', 'products', 'rfm'],
        }),
      );
      if (opts.json) return printJson({ import: summary, analytics: report });
      process.stdout.write(
        [
          'Shopsight demo: UCI Online Retail, a UK gift shop, Dec 2010 - Dec 2011',
          '',
          renderImportSummary(summary),
          '',
          renderReport(report, 10),
          `Next: ${DEMO_NEXT.map((c) => suggest(c, opts.db)).join(', ')}.`,
          `Serve it over HTTP: train the models (${suggest('train customers', opts.db)}, ${suggest('train recommend', opts.db)}), ` +
            `then ${suggest('serve', opts.db)}: it listens on http://127.0.0.1:8080 (reference at /docs) and prints an admin key the first time.`,
        ].join('\n') + '\n',
      );
    });
}
