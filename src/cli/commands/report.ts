/**
 * @module cli/commands/report
 * `shopsight report --out report.html [--lang zh-CN] [--from D --to D]`: one self-contained HTML
 * file (report/build-report.ts) that opens with no network; from a DuckDB file or a ClickHouse cluster.
 */
import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { buildReport } from '../../report/build-report.js';
import { REPORT_LANGS, type ReportLang } from '../../report/texts.js';
import { dbOption, withWarehouse } from '../context.js';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'write one self-contained HTML report (KPIs, revenue, countries, segments, model evidence) that opens offline',
    )
    .requiredOption('--out <file>', 'the HTML file to write')
    .addOption(new Option('--lang <lang>', 'language').choices([...REPORT_LANGS]).default('en'))
    .option('--from <day>', 'period start, inclusive (default: 90 days before --to)')
    .option('--to <day>', 'period end, exclusive (default: the day after the last order)')
    .addOption(dbOption())
    .action(async (opts: { out: string; lang: ReportLang; from?: string; to?: string; db?: string }) => {
      const html = await withWarehouse(
        opts.db,
        (wh) => buildReport(wh, { lang: opts.lang, from: opts.from, to: opts.to }),
        { viaServer: 'the dashboard at / (the same KPIs, segments and models)', clickhouse: true },
      );
      writeFileSync(opts.out, html);
      process.stderr.write(
        `wrote ${opts.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, self-contained)\n`,
      );
    });
}
