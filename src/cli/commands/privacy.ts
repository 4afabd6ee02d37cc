/**
 * @module cli/commands/privacy
 * `shopsight privacy forget`: erase one customer everywhere the store keeps them (registry/forget.ts),
 * the server's event log files included, then replace the database file with a copy holding only live
 * rows, so the erased rows' bytes do not linger in it (docs/privacy.md). While `shopsight serve` holds
 * the database, the holder refusal names POST /v1/admin/privacy/forget, which does the same.
 */
import { Command, Option } from 'commander';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { exportCustomer, forgetCustomer, type ForgetResult } from '../../registry/forget.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { retentionPolicy } from '../../ingest/retention-policy.js';
import {
  applyRetention,
  copyDatabaseTo,
  ORDERS_MODES,
  type OrdersMode,
} from '../../warehouse/personal-data.js';
import { isClickHouseLocation, resolveDbLocation } from '../../warehouse/open.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

export const FORGET_ROUTE = 'POST /v1/admin/privacy/forget';
export const EXPORT_ROUTE = 'GET /v1/admin/privacy/export/{customer}';
export const RETAIN_ROUTE = 'POST /v1/admin/privacy/retain';
/** What the export says of itself: it is the one output never masked. */
export const EXPORT_UNMASKED =
  "not masked: the export is the person's own data as stored (e-mail, attributes, free text); send it to them only, and keep no copy";

/**
 * Runs `fn` on the store, then replaces the file with a copy of its live rows (docs/privacy.md:
 * DuckDB keeps deleted rows' bytes after CHECKPOINT and VACUUM). A crash before the rename leaves
 * the original in place.
 */
async function thenRewriteFile<T>(
  db: string | undefined,
  fn: (wh: Warehouse) => Promise<T>,
  viaServer?: string,
): Promise<T> {
  const path = resolveDbLocation(db);
  const fresh = `${path}.forget-rewrite`;
  rmSync(fresh, { force: true });
  const result = await withWarehouse(
    db,
    async (wh) => {
      const r = await fn(wh);
      await copyDatabaseTo(wh, fresh);
      return r;
    },
    viaServer ? { viaServer } : {},
  );
  renameSync(fresh, path);
  rmSync(`${path}.wal`, { force: true });
  return result;
}

export function privacyCommand(): Command {
  const privacy = new Command('privacy').description(
    'data-protection requests: forget or export a customer, apply retention, rewrite the file',
  );
  privacy
    .command('forget')
    .description('erase a customer from every table, the event log and the models; logged without the person')
    .requiredOption('--customer <id>', 'the customer id as the shop knows it (its pseudonym is found too)')
    .option('--email <address>', 'their e-mail, also erased wherever it appears')
    .option('--reason <text>', 'why (kept in the erasure log; write no personal data here)')
    .addOption(
      new Option('--orders <mode>', 'delete the orders and lines, or keep them unlinked for the accounts')
        .choices([...ORDERS_MODES])
        .default('delete'),
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        customer: string;
        email?: string;
        reason?: string;
        orders: OrdersMode;
        db?: string;
        json?: boolean;
      }) => {
        const cluster = isClickHouseLocation(resolveDbLocation(opts.db));
        const forget = (wh: Warehouse) =>
          forgetCustomer(wh, {
            customerId: opts.customer,
            ...(opts.email ? { email: opts.email } : {}),
            ...(opts.reason ? { reason: opts.reason } : {}),
            orders: opts.orders,
            eventLogFiles: !cluster,
          });
        // A cluster has no file to rewrite: the rows are gone from every query once the erasure's
        // mutations are done, and from disk after old_parts_lifetime (docs/privacy.md).
        const result = cluster
          ? await withWarehouse(opts.db, forget, { clickhouse: true })
          : await thenRewriteFile(opts.db, forget, FORGET_ROUTE);
        if (opts.json) return printJson(result);
        process.stdout.write(forgetText(result, cluster));
      },
    );
  privacy
    .command('export')
    .description(
      'everything held about a customer (access request), predictions and reasons included, as one JSON file',
    )
    .requiredOption('--customer <id>', 'the customer id as the shop knows it (its pseudonym is found too)')
    .option('--email <address>', 'their e-mail')
    .requiredOption('--out <file>', 'the JSON file to write')
    .addOption(dbOption())
    .action(async (opts: { customer: string; email?: string; out: string; db?: string }) => {
      const data = await withWarehouse(
        opts.db,
        (wh) =>
          exportCustomer(wh, { customerId: opts.customer, ...(opts.email ? { email: opts.email } : {}) }),
        { viaServer: EXPORT_ROUTE, clickhouse: true },
      );
      writeFileSync(opts.out, JSON.stringify(data, null, 2) + '\n');
      const counts = Object.entries(data.tables).map(([t, rows]) => [t, rows.length]);
      process.stdout.write(
        `${opts.out}: ${counts.length} tables\n${formatTable(['table', 'rows'], counts)}\n` +
          `${EXPORT_UNMASKED}\n`,
      );
    });
  privacy
    .command('retain')
    .description('apply the retention policy: delete events and quarantined raw rows older than it allows')
    .option('--config <file>', 'YAML or JSON with privacy.retention.events_days / quarantine_days')
    .option('--events-days <n>', 'delete events older than n days (1 to 36500)')
    .option('--quarantine-days <n>', 'delete quarantined rows of imports older than n days (1 to 36500)')
    .option('--dry-run', 'count what would be deleted; change nothing')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(
      async (opts: {
        config?: string;
        eventsDays?: string;
        quarantineDays?: string;
        dryRun?: boolean;
        db?: string;
        json?: boolean;
      }) => {
        const policy = retentionPolicy({
          ...(opts.config ? { file: opts.config } : {}),
          flags: {
            ...(opts.eventsDays !== undefined ? { eventsDays: opts.eventsDays } : {}),
            ...(opts.quarantineDays !== undefined ? { quarantineDays: opts.quarantineDays } : {}),
          },
        });
        if (policy.eventsDays === undefined && policy.quarantineDays === undefined) {
          throw new Error(
            'no retention policy: give --events-days, --quarantine-days or --config with privacy.retention',
          );
        }
        const apply = (wh: Warehouse) =>
          applyRetention(wh, policy, { now: new Date(), dryRun: opts.dryRun === true });
        // A cluster has no file to rewrite (its mutations are waited for; docs/privacy.md).
        const counts = isClickHouseLocation(resolveDbLocation(opts.db))
          ? await withWarehouse(opts.db, apply, { clickhouse: true })
          : opts.dryRun
            ? await withWarehouse(opts.db, apply, { viaServer: RETAIN_ROUTE })
            : await thenRewriteFile(opts.db, apply, RETAIN_ROUTE);
        if (opts.json) return printJson({ policy, dryRun: opts.dryRun === true, deleted: counts });
        const verb = opts.dryRun ? 'would delete' : 'deleted';
        process.stdout.write(
          `${verb}: ${counts.events.toLocaleString('en-US')} events` +
            (policy.eventsDays !== undefined
              ? ` (older than ${policy.eventsDays} days)`
              : ' (kept: no events_days)') +
            `, ${counts.quarantine.toLocaleString('en-US')} quarantined rows` +
            (policy.quarantineDays !== undefined
              ? ` (imports older than ${policy.quarantineDays} days)`
              : ' (kept: no quarantine_days)') +
            '\n',
        );
      },
    );
  privacy
    .command('compact')
    .description('rewrite the database file with its live rows only (after a forget through the server)')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      await thenRewriteFile(opts.db, async () => undefined);
      process.stdout.write('the database file was rewritten with its live rows only\n');
    });
  return privacy;
}

function forgetText(r: ForgetResult, cluster: boolean): string {
  const rows = Object.entries(r.counts).map(([table, n]) => [table, n]);
  return (
    `customer erased (${r.byPseudonym ? 'found by its pseudonym; ' : ''}orders ${r.ordersMode === 'delete' ? 'deleted' : 'kept, unlinked'})\n` +
    (rows.length ? formatTable(['table', 'rows'], rows) + '\n' : '') +
    `recommendation bundles rewritten without them: ${r.modelsRewritten.join(', ') || 'none'}\n` +
    `models marked for replacement by the next training: ${r.modelsMarked.join(', ') || 'none'}\n` +
    (cluster
      ? 'the rows are gone from every query on every shard (mutations done); ClickHouse deletes the old parts ' +
        'from disk after old_parts_lifetime (docs/privacy.md); the erasure is in the erasure log\n'
      : 'the database file was rewritten with live rows only; the erasure is in the erasure log\n')
  );
}
