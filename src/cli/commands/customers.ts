/**
 * @module cli/commands/customers
 * `shopsight customers profile <id>`: one customer's profile (tasks/customers/profile.ts), the same
 * object `GET /v1/customers/:id/profile` returns. The e-mail and personal attribute values are
 * masked unless `--unmask` asks for them as stored (docs/privacy.md).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseCutoff } from '../../features/cutoff.js';
import { customerProfile, type CustomerProfile } from '../../tasks/customers/profile.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

const pct = (v: number): string => `${Math.round(v * 100)}%`;

function render(p: CustomerProfile): string {
  const pr = p.predictions;
  const lines = [
    `Customer ${p.customer_id} as of ${p.as_of}${p.country ? ` (${p.country})` : ''}`,
    `RFM segment: ${p.rfm.label}${p.rfm.r === null ? '' : ` (R${p.rfm.r} F${p.rfm.f} M${p.rfm.m})`}: ${p.rfm.description}`,
    `Lifecycle: ${p.lifecycle.stage.replace('_', ' ')}: ${p.lifecycle.reason}`,
    `Orders: ${p.orders.sales} (${p.orders.cancelled} cancelled, ${p.orders.returned} returned), spend ${p.orders.spend}` +
      (p.orders.average_order_value === null ? '' : `, average ${p.orders.average_order_value}`),
    pr.available
      ? `Churn ${pct(pr.churn_probability)} (${pr.churn_risk}; ${pr.churn_reasons.join('; ')}); ` +
        `buys within ${pr.purchase_horizon_days} days ${pct(pr.purchase_probability)}; next order ${pr.next_order_at ?? 'not expected'}; ` +
        `CLV 365d ${pr.clv_365d.toFixed(2)} (${pr.spend_tier} tier); predictions as of ${pr.as_of}` +
        (pr.note ? `\n  note: ${pr.note}` : '')
      : `Predictions: ${pr.reason}`,
    `Price: ${p.price_sensitivity.ratio === null ? 'no line to compare' : `pays ${p.price_sensitivity.ratio}x the category median (${p.price_sensitivity.label})`}`,
    `Channel: ${p.channel.main ?? 'not recorded'}`,
  ];
  if (p.email !== null || p.attributes !== null || p.first_name !== null || p.last_name !== null) {
    const name = [p.first_name, p.last_name].filter((x) => x !== null).join(' ');
    const attrs = Object.entries(p.attributes ?? {}).map(
      ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
    lines.push(
      `Contact: ${name ? `name ${name}, ` : ''}e-mail ${p.email ?? 'none'}${attrs.length ? `; ${attrs.join(', ')}` : ''}`,
    );
  }
  if (p.favourite_categories.length) {
    lines.push(
      '',
      formatTable(
        ['Category', 'Spend', 'Share', 'Units', 'Orders', 'Price ratio'],
        p.favourite_categories.map((c) => [
          c.category,
          c.spend,
          pct(c.share),
          c.units,
          c.orders,
          c.price_ratio ?? '',
        ]),
      ),
    );
  }
  if (p.recent_orders.length) {
    lines.push(
      '',
      formatTable(
        ['Order', 'Placed', 'Status', 'Amount', 'Lines'],
        p.recent_orders.map((o) => [
          o.order_id,
          o.ordered_at.slice(0, 16).replace('T', ' '),
          o.status,
          o.amount,
          o.lines,
        ]),
      ),
    );
  }
  if (p.recent_events.length) {
    lines.push(
      '',
      formatTable(
        ['Event', 'When', 'Product'],
        p.recent_events.map((e) => [
          e.type,
          e.occurred_at.slice(0, 16).replace('T', ' '),
          e.product_id ?? '',
        ]),
      ),
    );
  }
  return lines.join('\n');
}

export function customersCommand(): Command {
  const cmd = new Command('customers').description('look up customers');
  cmd.addCommand(
    new Command('profile')
      .description(
        'segment, lifecycle, predictions, favourite categories, price sensitivity, recent activity',
      )
      .argument('<id>', 'customer id')
      .addOption(dbOption())
      .addOption(jsonOption())
      .addOption(
        new Option(
          '--as-of <day>',
          'read only what happened before this day (default: after the latest activity)',
        ).argParser((v) => {
          try {
            parseCutoff(v);
            return v;
          } catch (e) {
            throw new InvalidArgumentError((e as Error).message);
          }
        }),
      )
      .option('--unmask', 'show the e-mail and personal attribute values as stored (default: masked)')
      .action(async (id: string, opts: { db?: string; json?: boolean; asOf?: string; unmask?: boolean }) => {
        const profile = await withWarehouse(
          opts.db,
          (wh) => customerProfile(wh, id, { asOf: opts.asOf, unmask: opts.unmask === true }),
          { clickhouse: true },
        );
        if (opts.json) printJson(profile);
        else process.stdout.write(render(profile) + '\n');
      }),
  );
  return cmd;
}
