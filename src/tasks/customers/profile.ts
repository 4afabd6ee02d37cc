/**
 * @module tasks/customers/profile
 * One customer's profile (the "user portrait" of the seeds) as of a day: RFM segment, lifecycle
 * stage, the stored churn / purchase / CLV predictions with their reasons, favourite categories,
 * price sensitivity, channels and recent activity. The HTTP API (`GET /v1/customers/:id/profile`)
 * and the CLI (`shopsight customers profile <id>`) both call `customerProfile`; field names are
 * snake_case because this object is the response body.
 *
 * Point in time: with `asOf` (a day), every part reads rows strictly before that day's midnight UTC;
 * stored predictions are shown only when their own as_of is not later (otherwise they were built
 * from later data, and the profile says so). Without it, the day after the latest order or event.
 *
 * Price sensitivity labels: ratio below 1 - PRICE_BAND (0.9) is `price_sensitive` (pays at least 10%
 * under the category's typical price of the month), above 1 + PRICE_BAND (1.1) `premium`, else
 * `typical` (features/customer-profile.ts defines the ratio).
 *
 * Engines: every read chooses its SQL by the store (features/customer-profile.ts, the predictions
 * store, the registry), so the same profile comes from a DuckDB file or a ClickHouse cluster.
 *
 * Personal fields: `email`, `first_name`, `last_name` and `attributes` are masked (ml/text/personal-fields.ts: the e-mail, and
 * attribute values personal by key or by content) unless `unmask` is set, which the surfaces allow
 * only on an admin's explicit request (`--unmask`; `?unmask=true` with an admin key).
 *
 * @example
 *   const p = await customerProfile(wh, '12347');
 *   p.rfm.segment; p.lifecycle.stage; p.predictions.available && p.predictions.churn_probability;
 */
import { maskAttributes, maskEmail, maskName } from '../../ml/text/personal-fields.js';
import {
  customerCategories,
  customerEvents,
  customerIdentity,
  customerOrders,
  latestActivityDay,
  type CategoryShare,
  type ProfileEvent,
  type ProfileOrder,
} from '../../features/customer-profile.js';
import { parseCutoff } from '../../features/cutoff.js';
import type { CustomerPrediction } from '../../schema/predictions.js';
import { rfmOfCustomer, type RfmCustomer } from '../../warehouse/analytics/rfm.js';
import { chRfmOfCustomer } from '../../warehouse/clickhouse/analytics/rfm-of-customer.js';
import { ClickHouseStore } from '../../warehouse/clickhouse/clickhouse-store.js';
import {
  PROSPECTS_RULE,
  SEGMENT_LABELS,
  SEGMENT_RULES,
  type RfmSegment,
} from '../../warehouse/analytics/rfm-segments.js';
import { findModel } from '../../warehouse/model-store.js';
import { countCustomerPredictions, readCustomerPredictions } from '../../warehouse/predictions-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { lifecycleStage, type Lifecycle } from './lifecycle.js';

export const PRICE_BAND = 0.1;
/** How many of the latest orders and events a profile lists, and how many favourite categories. */
export const PROFILE_LIMITS = { orders: 5, events: 10, categories: 3 } as const;
/** The tasks whose promoted models `predict customers` scores with. */
const PREDICTION_TASKS = ['churn', 'propensity', 'clv'] as const;

/** Thrown for an id with no customers row, order or event before the profile's day. */
export class UnknownCustomerError extends Error {
  constructor(
    readonly customerId: string,
    readonly asOf: string,
  ) {
    super(`no customer '${customerId}' in this store as of ${asOf}`);
    this.name = 'UnknownCustomerError';
  }
}

export interface ProfileOptions {
  /** 'YYYY-MM-DD': read only what happened before this day (default: the day after the latest order or event). */
  readonly asOf?: string;
  /** Show `email` and `attributes` as stored (default: masked). */
  readonly unmask?: boolean;
}

/**
 * A stored prediction row (schema/predictions.ts, fields as `predict customers` writes them) with
 * its dates as ISO text, and whether the models behind it still serve.
 */
export type ProfilePredictions = Omit<
  CustomerPrediction,
  'customer_id' | 'as_of' | 'next_order_at' | 'predicted_at'
> & {
  readonly available: true;
  /** The day the stored predictions were built as of. */
  readonly as_of: string;
  readonly next_order_at: string | null;
  readonly predicted_at: string;
  /** The promoted model ids now (null for a task with none promoted). */
  readonly promoted_models: Record<string, string | null>;
  /** True when a model the row was scored with is no longer the promoted one. */
  readonly stale: boolean;
  /** Why stale, and how to refresh; null when current. */
  readonly note: string | null;
};

export interface MissingPredictions {
  readonly available: false;
  /** Why there is none, and how to make them. */
  readonly reason: string;
}

export interface CustomerProfile {
  readonly customer_id: string;
  /** Everything below reads only rows before this day (midnight UTC). */
  readonly as_of: string;
  readonly first_seen_at: string | null;
  readonly country: string | null;
  /** Masked as [EMAIL] unless unmasked. */
  readonly email: string | null;
  /** Masked as [NAME] unless unmasked. */
  readonly first_name: string | null;
  readonly last_name: string | null;
  /** The customer's `attributes`, personal values masked unless unmasked. */
  readonly attributes: Record<string, unknown> | null;
  readonly rfm: {
    readonly segment: RfmSegment;
    readonly label: string;
    readonly description: string;
    /** Null for prospects (no sales order). */
    readonly recency_days: number | null;
    readonly frequency: number | null;
    readonly monetary: number | null;
    readonly r: number | null;
    readonly f: number | null;
    readonly m: number | null;
  };
  readonly lifecycle: Lifecycle;
  readonly orders: {
    readonly sales: number;
    readonly cancelled: number;
    readonly returned: number;
    readonly first_order_at: string | null;
    readonly last_order_at: string | null;
    readonly spend: number;
    readonly average_order_value: number | null;
    readonly mean_days_between_orders: number | null;
  };
  readonly predictions: ProfilePredictions | MissingPredictions;
  readonly favourite_categories: CategoryShare[];
  readonly price_sensitivity: {
    /** Paid / category median of the month (null when no line can be compared). */
    readonly ratio: number | null;
    readonly label: 'price_sensitive' | 'typical' | 'premium' | null;
    readonly lines_compared: number;
  };
  readonly channel: {
    /** The channel of most of their sales orders (null when no order records one). */
    readonly main: string | null;
    readonly orders_by_channel: { readonly channel: string; readonly orders: number }[];
  };
  readonly recent_orders: (Omit<ProfileOrder, 'ordered_at'> & { readonly ordered_at: string })[];
  readonly recent_events: (Omit<ProfileEvent, 'occurred_at'> & { readonly occurred_at: string })[];
  /** Events per type in the 30 days before as_of. */
  readonly events_last_30_days: Record<string, number>;
}

const DAY_MS = 86_400_000;
const iso = (d: Date): string => d.toISOString();
const day = (d: Date): string => d.toISOString().slice(0, 10);
const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

async function resolveAsOf(wh: Warehouse, asOf: string | undefined): Promise<Date> {
  if (asOf !== undefined) return parseCutoff(asOf);
  return (await latestActivityDay(wh)) ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
}

function priceLabel(ratio: number | null): CustomerProfile['price_sensitivity']['label'] {
  if (ratio === null) return null;
  if (ratio < 1 - PRICE_BAND) return 'price_sensitive';
  if (ratio > 1 + PRICE_BAND) return 'premium';
  return 'typical';
}

/**
 * The customer's RFM scores as of the day. On ClickHouse the scores are ranks over every customer
 * (18.16 has no window functions): chRfmOfCustomer scores the customer against the store's cut
 * points, taken once per version of the order data, as chRfm (held to DuckDB's by the contract
 * suite) scores everyone.
 */
async function rfmOf(wh: Warehouse, customerId: string, asOf: string): Promise<RfmCustomer | null> {
  if (!(wh instanceof ClickHouseStore)) return rfmOfCustomer(wh, customerId, asOf);
  return chRfmOfCustomer(wh, customerId, asOf);
}

async function predictionsFor(
  wh: Warehouse,
  customerId: string,
  asOf: Date,
): Promise<ProfilePredictions | MissingPredictions> {
  const how =
    'run `npx shopsight predict customers` (after `npx shopsight train customers`) to score every customer';
  const [p] = await readCustomerPredictions(wh, { customerId });
  if (!p) {
    const n = await countCustomerPredictions(wh);
    return {
      available: false,
      reason:
        n === 0
          ? `no predictions are stored: ${how}`
          : `this customer has no stored prediction (only customers with a sales order before the ` +
            `predictions' day are scored): ${how}`,
    };
  }
  if (p.as_of.getTime() > asOf.getTime()) {
    return {
      available: false,
      reason:
        `the stored predictions are as of ${day(p.as_of)}, after this profile's as_of ${day(asOf)}: ` +
        `they were built from later data, so they are left out`,
    };
  }
  const promoted: Record<string, string | null> = {};
  for (const task of PREDICTION_TASKS)
    promoted[task] = (await findModel(wh, task, 'promoted'))?.modelId ?? null;
  const changed = PREDICTION_TASKS.filter((t) => p.models[t] !== promoted[t]).map(
    (t) => `${t} was scored with ${p.models[t] ?? 'no model'} but ${promoted[t] ?? 'none'} is promoted now`,
  );
  const { customer_id: _id, ...row } = p;
  return {
    ...row,
    available: true,
    as_of: day(p.as_of),
    next_order_at: p.next_order_at ? day(p.next_order_at) : null,
    promoted_models: promoted,
    stale: changed.length > 0,
    note: changed.length ? `${changed.join('; ')}: ${how} again` : null,
    predicted_at: iso(p.predicted_at),
  };
}

export async function customerProfile(
  wh: Warehouse,
  customerId: string,
  options: ProfileOptions = {},
): Promise<CustomerProfile> {
  const cutoff = await resolveAsOf(wh, options.asOf);
  const asOf = day(cutoff);
  const who = await customerIdentity(wh, customerId, cutoff);
  if (!who.exists) throw new UnknownCustomerError(customerId, asOf);

  const orders = await customerOrders(wh, customerId, cutoff, PROFILE_LIMITS.orders);
  const scored = await rfmOf(wh, customerId, asOf);
  const segment: RfmSegment = scored?.segment ?? PROSPECTS_RULE.segment;
  const rule = SEGMENT_RULES.find((r) => r.segment === segment);
  const cats = await customerCategories(wh, customerId, cutoff, PROFILE_LIMITS.categories);
  const events = await customerEvents(wh, customerId, cutoff, PROFILE_LIMITS.events);
  const s = orders.summary;
  return {
    customer_id: customerId,
    as_of: asOf,
    first_seen_at: who.firstSeenAt ? iso(who.firstSeenAt) : null,
    country: who.country,
    email: options.unmask ? who.email : maskEmail(who.email),
    first_name: options.unmask ? who.firstName : maskName(who.firstName),
    last_name: options.unmask ? who.lastName : maskName(who.lastName),
    attributes: who.attributes === null || options.unmask ? who.attributes : maskAttributes(who.attributes),
    rfm: {
      segment,
      label: SEGMENT_LABELS[segment],
      description: rule?.description ?? PROSPECTS_RULE.description,
      recency_days: scored?.recency_days ?? null,
      frequency: scored?.frequency ?? null,
      monetary: scored?.monetary ?? null,
      r: scored?.r ?? null,
      f: scored?.f ?? null,
      m: scored?.m ?? null,
    },
    lifecycle: lifecycleStage(s),
    orders: {
      sales: s.sales,
      cancelled: s.cancelled,
      returned: s.returned,
      first_order_at: s.firstSaleAt ? iso(s.firstSaleAt) : null,
      last_order_at: s.lastSaleAt ? iso(s.lastSaleAt) : null,
      spend: round(s.spend),
      average_order_value: s.sales > 0 ? round(s.spend / s.sales) : null,
      mean_days_between_orders: s.meanGapDays === null ? null : round(s.meanGapDays, 2),
    },
    predictions: await predictionsFor(wh, customerId, cutoff),
    favourite_categories: cats.favourites.map((c) => ({
      ...c,
      spend: round(c.spend),
      share: round(c.share),
      price_ratio: c.price_ratio === null ? null : round(c.price_ratio),
    })),
    price_sensitivity: {
      ratio: cats.price.ratio === null ? null : round(cats.price.ratio),
      label: priceLabel(cats.price.ratio),
      lines_compared: cats.price.lines,
    },
    channel: { main: orders.channels[0]?.channel ?? null, orders_by_channel: orders.channels },
    recent_orders: orders.recent.map((o) => ({
      ...o,
      amount: round(o.amount),
      ordered_at: iso(o.ordered_at),
    })),
    recent_events: events.recent.map((e) => ({ ...e, occurred_at: iso(e.occurred_at) })),
    events_last_30_days: events.last30Days,
  };
}
