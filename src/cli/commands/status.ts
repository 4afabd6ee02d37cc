/**
 * @module cli/commands/status
 * `shopsight status`: what the warehouse holds and the last imports, on a DuckDB file or a
 * ClickHouse cluster (the tables the cluster holds).
 */
import { Command } from 'commander';
import { warehouseStatus } from '../../warehouse/inspect.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

export function statusCommand(): Command {
  return new Command('status')
    .description('table sizes, schema version and recent imports of the database')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { db?: string; json?: boolean }) => {
      const s = await withWarehouse(opts.db, (wh) => warehouseStatus(wh), {
        clickhouse: true,
      });
      if (opts.json) return printJson(s);
      process.stdout.write(
        [
          `${s.location} (schema version ${s.schemaVersion})`,
          formatTable(['table', 'rows'], Object.entries(s.tables)),
          '',
          formatTable(
            ['import', 'preset', 'source', 'read', 'imported', 'quarantined'],
            s.imports.map((i) => [
              i.import_id,
              i.preset,
              i.source,
              i.rows_read,
              i.rows_imported,
              i.rows_quarantined,
            ]),
          ),
        ].join('\n') + '\n',
      );
    });
}
