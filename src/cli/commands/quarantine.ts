/**
 * @module cli/commands/quarantine
 * `shopsight quarantine`: the rows imports could not use, with file, line, column and reason. The
 * raw row and the detail (which quotes the bad value) are printed with personal data masked unless
 * `--show-personal`. The same on a ClickHouse cluster (`--db clickhouse://...`): one query for both.
 */
import { Command, Option } from 'commander';
import { maskPii } from '../../ml/text/pii.js';
import { QUARANTINE_REASONS, type QuarantineReason } from '../../schema/tables.js';
import { listQuarantine } from '../../warehouse/inspect.js';
import {
  dbOption,
  formatTable,
  jsonOption,
  printJson,
  showPersonalOption,
  withWarehouse,
} from '../context.js';

export function quarantineCommand(): Command {
  return new Command('quarantine')
    .description('list quarantined rows (file, line, column, reason, raw row)')
    .addOption(new Option('--reason <code>', 'only this reason').choices(Object.keys(QUARANTINE_REASONS)))
    .option('--source <text>', 'only sources whose path contains this text')
    .option('--limit <n>', 'rows to show', (v) => Number.parseInt(v, 10), 20)
    .addOption(showPersonalOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        reason?: QuarantineReason;
        source?: string;
        limit: number;
        showPersonal?: boolean;
        db?: string;
        json?: boolean;
      }) => {
        const stored = await withWarehouse(
          opts.db,
          (wh) =>
            listQuarantine(wh, {
              limit: opts.limit,
              ...(opts.reason ? { reason: opts.reason } : {}),
              ...(opts.source ? { source: opts.source } : {}),
            }),
          { clickhouse: true },
        );
        const report = opts.showPersonal
          ? stored
          : {
              ...stored,
              rows: stored.rows.map((r) => ({ ...r, detail: maskPii(r.detail), raw: maskPii(r.raw) })),
            };
        if (opts.json) return printJson(report);
        if (report.total === 0) {
          const filtered = opts.reason !== undefined || opts.source !== undefined;
          process.stdout.write(
            filtered ? '0 quarantined rows match\n' : '0 quarantined rows: every row read was imported\n',
          );
          return;
        }
        const out = [
          `${report.total.toLocaleString('en-US')} quarantined rows`,
          formatTable(
            ['reason', 'rows', 'meaning'],
            Object.entries(report.byReason).map(([r, n]) => [
              r,
              n,
              QUARANTINE_REASONS[r as QuarantineReason],
            ]),
          ),
          '',
          formatTable(
            ['file:line', 'column', 'reason', 'detail'],
            report.rows.map((r) => [`${r.source}:${r.line}`, r.column, r.reason, r.detail]),
          ),
        ];
        process.stdout.write(out.join('\n') + '\n');
      },
    );
}
