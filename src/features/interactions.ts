/**
 * @module features/interactions
 * The interaction data every recommender trains on, read from the warehouse: sales order lines and
 * product events, weighted by kind, merchandise only, as dense-indexed sequences (time order) with
 * each item's category. The users x items matrix is the caller's: `trainingData(d.data.sequences)`
 * in ml/recommend (features/ comes before ml/, so it only produces the shape ml/ declares).
 *
 * @example
 *   const d = await loadInteractions(wh, { cutoff: new Date('2011-11-09') });
 *   d.userIds[0]; d.itemIds[0];                  // '12346', '10002' (index -> id, ascending ids)
 *   d.userIndex.get('12346');                    // 0 (id -> index)
 *   d.data.sequences.itemIds.subarray(d.data.sequences.offsets[0], d.data.sequences.offsets[1]);
 *
 * What counts, and how much (DEFAULT_WEIGHTS, each overridable; weight 0 leaves a kind out):
 * - a line of a sales order (not cancelled or returned) by a known customer: `purchase` (1);
 * - an event with a product: `purchase` 1, `add_to_cart` 0.5, `view` 0.1,
 *   `recommendation_click` 0.1; search, remove_from_cart and checkout carry no product preference (0).
 * Guest orders (no customer id) are left out: nobody to recommend to. Anonymous visitors' events
 * count under the user id `anon:<anonymous_id>`. Postage, fees and vouchers (is_merchandise false)
 * are left out; a product missing from the catalogue counts as merchandise.
 * A store that logs every order line ALSO as a purchase event with a product would count it twice:
 * set `weights.purchaseEvent` to 0 there (the generator's purchase events carry no product).
 *
 * With a cutoff, an order's status is the one it had at the cutoff (a later return does not remove it).
 *
 * Order within a user: time, then order lines before events at the same instant, then order_id and
 * line_no (lines) or event_id (events), so equal timestamps still give one fixed sequence.
 */
import type { Sequences } from '../ml/recommend/types.js';
import { asOf, isMerchandise, isSale, Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chInteractionRows } from './interactions-clickhouse.js';

export interface InteractionWeights {
  /** A line of a sales order. */
  readonly orderLine: number;
  readonly purchaseEvent: number;
  readonly addToCart: number;
  readonly view: number;
  readonly recommendationClick: number;
}

export const DEFAULT_WEIGHTS: InteractionWeights = {
  orderLine: 1,
  purchaseEvent: 1,
  addToCart: 0.5,
  view: 0.1,
  recommendationClick: 0.1,
};

export interface InteractionOptions {
  readonly weights?: Partial<InteractionWeights>;
  /** Only interactions at or after this instant. */
  readonly from?: Date;
  /** Only interactions strictly before this instant (point-in-time training). */
  readonly cutoff?: Date;
}

export interface InteractionData {
  /** Sequences with times (epoch ms) and weights, and each item's category index (-1 = none). */
  readonly data: { readonly sequences: Sequences; readonly itemCategories: Int32Array };
  /** User index -> id (customer_id, or anon:<anonymous_id>), ascending. */
  readonly userIds: string[];
  /** Item index -> product_id, ascending. */
  readonly itemIds: string[];
  readonly userIndex: ReadonlyMap<string, number>;
  readonly itemIndex: ReadonlyMap<string, number>;
  /** Category index -> category name (data.itemCategories points here; -1 = none). */
  readonly categories: string[];
}

/**
 * The interactions as each engine's SQL returns them: rows sorted by user then time, with dense
 * user and item indexes (ascending ids), and each item's category.
 */
export interface InteractionRows {
  readonly u: Int32Array;
  readonly item: Int32Array;
  readonly t: Float64Array;
  readonly w: Float32Array;
  readonly userIds: string[];
  readonly itemIds: string[];
  readonly itemCategories: readonly (string | null)[];
}

export async function loadInteractions(
  wh: Warehouse,
  options: InteractionOptions = {},
): Promise<InteractionData> {
  const w = { ...DEFAULT_WEIGHTS, ...options.weights };
  const rows =
    wh instanceof ClickHouseStore
      ? await chInteractionRows(wh, w, options)
      : await duckInteractionRows(wh, w, options);
  return assemble(rows);
}

async function duckInteractionRows(
  wh: Warehouse,
  w: InteractionWeights,
  options: InteractionOptions,
): Promise<InteractionRows> {
  const params = new Params();
  const window = (col: string): string =>
    [
      options.from ? `${col} >= CAST(${params.add(options.from)} AS TIMESTAMP)` : 'TRUE',
      options.cutoff ? `${col} < CAST(${params.add(options.cutoff)} AS TIMESTAMP)` : 'TRUE',
    ].join(' AND ');
  const eventWeight = `CASE e.type WHEN 'purchase' THEN ${params.add(w.purchaseEvent)}
      WHEN 'add_to_cart' THEN ${params.add(w.addToCart)} WHEN 'view' THEN ${params.add(w.view)}
      WHEN 'recommendation_click' THEN ${params.add(w.recommendationClick)} ELSE 0 END`;
  const lineWeight = params.add(w.orderLine);
  // src orders lines (0) before events (1) at the same instant; k1/k2 break the remaining ties.
  const raw = `SELECT uid, pid, t, src, k1, k2, CAST(w AS DOUBLE) AS w FROM (
      SELECT o.customer_id AS uid, i.product_id AS pid, o.ordered_at AS t, 0 AS src,
             o.order_id AS k1, i.line_no AS k2, ${lineWeight} AS w
      FROM order_items i JOIN ${asOf(options.cutoff, params)} o ON o.order_id = i.order_id
      WHERE ${isSale('o')} AND o.customer_id IS NOT NULL AND ${window('o.ordered_at')}
      UNION ALL
      SELECT coalesce(e.customer_id, 'anon:' || e.anonymous_id), e.product_id, e.occurred_at, 1,
             e.event_id, 0, ${eventWeight}
      FROM events e
      WHERE e.product_id IS NOT NULL AND (e.customer_id IS NOT NULL OR e.anonymous_id IS NOT NULL)
        AND ${window('e.occurred_at')}
    ) r LEFT JOIN products p ON p.product_id = r.pid
    WHERE r.w > 0 AND ${isMerchandise('p')}`;
  const c = await wh.columns(
    `WITH raw AS (${raw})
     SELECT dense_rank() OVER (ORDER BY uid) - 1 AS u, dense_rank() OVER (ORDER BY pid) - 1 AS item,
            t, w
     FROM raw ORDER BY uid, t, src, k1, k2`,
    { u: 'i32', item: 'i32', t: 'ts', w: 'f32' },
    params.values,
  );
  const users = await wh.columns(
    `WITH raw AS (${raw}) SELECT DISTINCT uid FROM raw ORDER BY uid`,
    { uid: 'str' },
    params.values,
  );
  const items = await wh.columns(
    `WITH raw AS (${raw}), ids AS (SELECT DISTINCT pid FROM raw)
     SELECT ids.pid, p.category FROM ids LEFT JOIN products p ON p.product_id = ids.pid ORDER BY ids.pid`,
    { pid: 'str', category: 'str' },
    params.values,
  );
  return {
    u: c.u,
    item: c.item,
    t: c.t,
    w: c.w,
    userIds: users.uid.map((x) => x ?? ''),
    itemIds: items.pid.map((x) => x ?? ''),
    itemCategories: items.category,
  };
}

/** Sequences, indexes and category codes from an engine's rows. */
function assemble(c: InteractionRows): InteractionData {
  const { userIds, itemIds } = c;
  const categoryIndex = new Map<string, number>();
  const itemCategories = new Int32Array(itemIds.length);
  c.itemCategories.forEach((cat, j) => {
    if (cat === null || cat === '') itemCategories[j] = -1;
    else {
      if (!categoryIndex.has(cat)) categoryIndex.set(cat, categoryIndex.size);
      itemCategories[j] = categoryIndex.get(cat)!;
    }
  });
  const offsets = new Int32Array(userIds.length + 1);
  for (let k = 0; k < c.u.length; k++) offsets[c.u[k]! + 1]!++;
  for (let u = 0; u < userIds.length; u++) offsets[u + 1]! += offsets[u]!;
  // Rows arrive sorted by user then time, so they are already the concatenated sequences.
  const sequences: Sequences = {
    users: userIds.length,
    items: itemIds.length,
    offsets,
    itemIds: c.item,
    times: c.t,
    weights: c.w,
  };
  return {
    data: { sequences, itemCategories },
    userIds,
    itemIds,
    userIndex: new Map(userIds.map((id, i) => [id, i])),
    itemIndex: new Map(itemIds.map((id, i) => [id, i])),
    categories: [...categoryIndex.keys()],
  };
}
