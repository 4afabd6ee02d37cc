/**
 * @module cli/commands/privacy
 * `shopsight privacy forget`: erase one customer everywhere the store keeps them (registry/forget.ts),
 * the server's event log files included, then replace the database file with a copy holding only live
 * rows, so the erased rows' bytes do not linger in it (docs/privacy.md). While `shopsight serve` holds
 * the database, the holder refusal names POST /v1/admin/privacy/forget, which does the same.
 */
import { Command, Option } from 'commander';
import { renameSync, rmSync } from 'node:fs';
import { forgetCustomer, type ForgetResult } from '../../registry/forget.js';
import { copyDatabaseTo, ORDERS_MODES, type OrdersMode } from '../../warehouse/personal-data.js';
import { resolveDbLocation } from '../../warehouse/open.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

export const FORGET_ROUTE = 'POST /v1/admin/privacy/forget';

export function privacyCommand(): Command {
  const privacy = new Command('privacy').description('data-protection requests: forget a customer');
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
        const path = resolveDbLocation(opts.db);
        const fresh = `${path}.forget-rewrite`;
        rmSync(fresh, { force: true });
        const result = await withWarehouse(
          opts.db,
          async (wh) => {
            const r = await forgetCustomer(wh, {
              customerId: opts.customer,
              ...(opts.email ? { email: opts.email } : {}),
              ...(opts.reason ? { reason: opts.reason } : {}),
              orders: opts.orders,
              eventLogFiles: true,
            });
            await copyDatabaseTo(wh, fresh);
            return r;
          },
          { viaServer: FORGET_ROUTE },
        );
        // The copy holds the erased store's live rows only; it replaces the file once the original
        // is closed (a crash before the rename leaves the original, already erased, in place).
        renameSync(fresh, path);
        rmSync(`${path}.wal`, { force: true });
        if (opts.json) return printJson(result);
        process.stdout.write(forgetText(result));
      },
    );
  return privacy;
}

function forgetText(r: ForgetResult): string {
  const rows = Object.entries(r.counts).map(([table, n]) => [table, n]);
  return (
    `customer erased (${r.byPseudonym ? 'found by its pseudonym; ' : ''}orders ${r.ordersMode === 'delete' ? 'deleted' : 'kept, unlinked'})\n` +
    (rows.length ? formatTable(['table', 'rows'], rows) + '\n' : '') +
    `recommendation bundles rewritten without them: ${r.modelsRewritten.join(', ') || 'none'}\n` +
    `models marked for replacement by the next training: ${r.modelsMarked.join(', ') || 'none'}\n` +
    'the database file was rewritten with live rows only; the erasure is in the erasure log\n'
  );
}
