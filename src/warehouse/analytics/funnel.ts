/**
 * @module warehouse/analytics/funnel
 * The view -> add to cart -> purchase funnel over browsing sessions, from the events table.
 *
 * A session is events.session_id; events without one are grouped per visitor per UTC day (the
 * customer_id, else the anonymous_id), and an event with no identity at all is a session of its own.
 * For each step we report the sessions that had the event, and the sessions that reached it, i.e.
 * also had every earlier step (in any order within the session); conversion rates use the reached
 * counts, so they never exceed 1 even when a tracker misses cart events. One GROUP BY session.
 *
 * @example
 *   const f = await funnel(wh);
 *   if (f.available) f.steps[1].conversionFromPrevious; // view -> cart
 */
import type { EventType } from '../../schema/tables.js';
import type { Warehouse } from '../warehouse.js';
import { periodClause, resolvePeriod, type Period, type ResolvedPeriod } from './period.js';
import { Params, ratio } from './sql.js';

export const FUNNEL_STEPS = ['view', 'add_to_cart', 'purchase'] as const satisfies readonly EventType[];
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

export interface FunnelOptions {
  readonly period?: Period;
}

export interface FunnelStep {
  readonly step: FunnelStepName;
  /** Sessions with at least one event of this type. */
  readonly sessions: number;
  /** Sessions with this event and every earlier step. */
  readonly reached: number;
  /** reached / reached of the previous step (null for the first step or when the previous is 0). */
  readonly conversionFromPrevious: number | null;
}

export type FunnelResult =
  | { readonly available: false; readonly reason: string; readonly period: ResolvedPeriod }
  | {
      readonly available: true;
      readonly period: ResolvedPeriod;
      /** All sessions, including those with none of the funnel events (e.g. search only). */
      readonly sessions: number;
      readonly steps: FunnelStep[];
      /** Sessions that reached purchase / sessions with a view. */
      readonly viewToPurchase: number | null;
    };

/** Session counts: all, with each event, and with view+cart and view+cart+purchase. */
export type FunnelRow = {
  sessions: number;
  views: number;
  carts: number;
  purchases: number;
  view_cart: number;
  view_cart_purchase: number;
};

export async function funnel(wh: Warehouse, options: FunnelOptions = {}): Promise<FunnelResult> {
  const period = resolvePeriod(options.period);
  const params = new Params();
  // The session key is a tuple of plain columns (those that do not apply to an event are NULL) rather
  // than one concatenated string: on 1.9M events that grouping took 76 ms instead of 123 ms.
  const sql = `
    WITH e AS (
      SELECT session_id AS sid,
             CASE WHEN session_id IS NULL THEN customer_id END AS cid,
             CASE WHEN session_id IS NULL AND customer_id IS NULL THEN anonymous_id END AS aid,
             CASE WHEN session_id IS NULL THEN CAST(occurred_at AS DATE) END AS day,
             CASE WHEN coalesce(session_id, customer_id, anonymous_id) IS NULL THEN event_id END AS eid,
             type
      FROM events WHERE ${periodClause('occurred_at', period, params)}
    ),
    s AS (
      SELECT bool_or(type = 'view') AS v, bool_or(type = 'add_to_cart') AS c, bool_or(type = 'purchase') AS p
      FROM e GROUP BY sid, cid, aid, day, eid
    )
    SELECT count(*) AS sessions,
           count(*) FILTER (WHERE v) AS views,
           count(*) FILTER (WHERE c) AS carts,
           count(*) FILTER (WHERE p) AS purchases,
           count(*) FILTER (WHERE v AND c) AS view_cart,
           count(*) FILTER (WHERE v AND c AND p) AS view_cart_purchase
    FROM s`;
  const [r] = await wh.rows<FunnelRow>(sql, params.values);
  return funnelResult(period, r);
}

/** The FunnelResult from the engine's one row of session counts (shared by both engines). */
export function funnelResult(period: ResolvedPeriod, r: FunnelRow | undefined): FunnelResult {
  if (!r || r.sessions === 0) {
    const reason =
      period.from || period.to
        ? `no events between ${period.from ?? 'the beginning'} and ${period.to ?? 'now'}`
        : 'the events table is empty: import browsing events to see the funnel';
    return { available: false, reason, period };
  }
  const reached = [r.views, r.view_cart, r.view_cart_purchase];
  const withEvent = [r.views, r.carts, r.purchases];
  const steps = FUNNEL_STEPS.map((step, i): FunnelStep => ({
    step,
    sessions: withEvent[i]!,
    reached: reached[i]!,
    conversionFromPrevious: i === 0 ? null : ratio(reached[i]!, reached[i - 1]!),
  }));
  return {
    available: true,
    period,
    sessions: r.sessions,
    steps,
    viewToPurchase: ratio(r.view_cart_purchase, r.views),
  };
}
