/**
 * @module tasks/recommend/test-feedback-store
 * A hand-made feedback loop for tests: recommendation responses, the events that came back with
 * their request ids, and orders (for last-touch attribution). Test-only.
 */
import type { Warehouse } from '../../warehouse/warehouse.js';

/**
 * Seven responses and the events that came back with their request ids (task 'recommend' unless
 * said; A = model version 3, B = version 4):
 *   r1 11-01 10:00 c1 A [p1 p2 p3]   e1 click 10:01, e2 view 10:01:30, e3 cart 10:02, e4 purchase 10:10 value 30
 *   r2 11-01 11:00 c2 A [p1 p2]      e5 view 11:05
 *   r3 11-02 09:00 c3 B [p2 p3]      e6 click 09:01, e7 cart 09:02, e8 purchase 11-10 09:00 value 50 (8 days later)
 *   r4 11-02 10:00 a1 B [p1]         e9 click 10:01, e10 purchase 10:30 without a value
 *   r5 11-03 10:00 c1 B [p3 p4]      e11 click 10:01
 *   r6 11-20 10:00 c2 A [p1]         nothing
 *   r7 11-01 12:00 together, no model, no variant [p2]
 *   e12 c2 view 11-01 11:06 without a request id: never counted.
 * Orders (for last touch): o100 c1 11-01 10:20 shipped 30; o101 c1 11-05 12:00 shipped 40;
 *   o102 c3 11-12 09:00 shipped 50; o103 c2 11-01 12:00 cancelled 20.
 */
const ROWS = [
  `INSERT INTO products (product_id, title, category, price, is_merchandise) VALUES
     ('p1', 'Mug', 'Kitchen', 10, true), ('p2', 'Candle', 'Home', 30, true),
     ('p3', 'Poster', NULL, 2.5, true), ('p4', 'Lamp', 'Home', 40, true)`,
  `INSERT INTO recommendation_impressions
     (request_id, served_at, surface, customer_id, anonymous_id, task, model_version, variant, product_ids) VALUES
     ('r1', '2026-11-01 10:00', 'user', 'c1', NULL, 'recommend', 3, 'A', ['p1', 'p2', 'p3']),
     ('r2', '2026-11-01 11:00', 'user', 'c2', NULL, 'recommend', 3, 'A', ['p1', 'p2']),
     ('r3', '2026-11-02 09:00', 'user', 'c3', NULL, 'recommend', 4, 'B', ['p2', 'p3']),
     ('r4', '2026-11-02 10:00', 'session', NULL, 'a1', 'recommend', 4, 'B', ['p1']),
     ('r5', '2026-11-03 10:00', 'user', 'c1', NULL, 'recommend', 4, 'B', ['p3', 'p4']),
     ('r6', '2026-11-20 10:00', 'user', 'c2', NULL, 'recommend', 3, 'A', ['p1']),
     ('r7', '2026-11-01 12:00', 'together', NULL, NULL, 'together', NULL, NULL, ['p2'])`,
  `INSERT INTO events (event_id, customer_id, anonymous_id, type, product_id, value, occurred_at, request_id) VALUES
     ('e1', 'c1', NULL, 'recommendation_click', 'p2', NULL, '2026-11-01 10:01', 'r1'),
     ('e2', 'c1', NULL, 'view', 'p2', NULL, '2026-11-01 10:01:30', 'r1'),
     ('e3', 'c1', NULL, 'add_to_cart', 'p2', NULL, '2026-11-01 10:02', 'r1'),
     ('e4', 'c1', NULL, 'purchase', NULL, 30, '2026-11-01 10:10', 'r1'),
     ('e5', 'c2', NULL, 'view', 'p1', NULL, '2026-11-01 11:05', 'r2'),
     ('e6', 'c3', NULL, 'recommendation_click', 'p3', NULL, '2026-11-02 09:01', 'r3'),
     ('e7', 'c3', NULL, 'add_to_cart', 'p3', NULL, '2026-11-02 09:02', 'r3'),
     ('e8', 'c3', NULL, 'purchase', NULL, 50, '2026-11-10 09:00', 'r3'),
     ('e9', NULL, 'a1', 'recommendation_click', 'p1', NULL, '2026-11-02 10:01', 'r4'),
     ('e10', NULL, 'a1', 'purchase', NULL, NULL, '2026-11-02 10:30', 'r4'),
     ('e11', 'c1', NULL, 'recommendation_click', 'p4', NULL, '2026-11-03 10:01', 'r5'),
     ('e12', 'c2', NULL, 'view', 'p2', NULL, '2026-11-01 11:06', NULL)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('o100', 'c1', '2026-11-01 10:20', 'shipped'), ('o101', 'c1', '2026-11-05 12:00', 'shipped'),
     ('o102', 'c3', '2026-11-12 09:00', 'shipped'), ('o103', 'c2', '2026-11-01 12:00', 'cancelled')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o100', 1, 'p2', 1, 30), ('o101', 1, 'p4', 1, 40), ('o102', 1, 'p2', 1, 50), ('o103', 1, 'p1', 2, 10)`,
];

/** Writes the rows above into a warehouse at schema version 7 or later. */
export async function fillFeedbackStore(wh: Warehouse): Promise<void> {
  for (const sql of ROWS) await wh.exec(sql);
}
