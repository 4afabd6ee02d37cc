/**
 * @module tasks/recommend/test-serving-store
 * A recommendation store small enough to compute every answer by hand (tests only): the recommender,
 * serving, CLI and HTTP tests share it, so they check one known answer in each surface.
 *
 * Four customers, seven products; E is out of stock, nobody bought F or G.
 *   c1: A, B     c2: A, B, C     c3: B, C     c4: D
 * Users per item: A {c1,c2}, B {c1,c2,c3}, C {c2,c3}, D {c4}. Binary cosine:
 *   sim(A,B) = 2/sqrt(2*3) = 0.8165   sim(B,C) = 2/sqrt(3*2) = 0.8165   sim(A,C) = 1/sqrt(2*2) = 0.5
 *   D shares no customer with anything. Popularity: B 3, A 2, C 2, D 1 (ties: lower index first).
 * Orders (baskets): o1 {A,B}, o2 {A,B,C}, o3 {B}, o5 {C}, o4 {D}.
 */
import type { Warehouse } from '../../warehouse/warehouse.js';

export const SERVING_STORE = [
  `INSERT INTO products (product_id, title, category, price, in_stock, is_merchandise) VALUES
     ('A', 'Mug', 'kitchen', 10, true, true), ('B', 'Plate', 'kitchen', 12, true, true),
     ('C', 'Candle', 'home', 30, true, true), ('D', 'Poster', NULL, 3, true, true),
     ('E', 'Lamp', 'home', 50, false, true), ('F', 'Rug', 'home', 80, true, true),
     ('G', 'Scented Candle', 'home', 25, true, true)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('o1', 'c1', '2024-01-01', 'shipped'), ('o2', 'c2', '2024-01-02', 'shipped'),
     ('o3', 'c3', '2024-01-03', 'shipped'), ('o4', 'c4', '2024-01-04', 'shipped'),
     ('o5', 'c3', '2024-01-05', 'shipped')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'A', 1, 10), ('o1', 2, 'B', 1, 12),
     ('o2', 1, 'A', 1, 10), ('o2', 2, 'B', 1, 12), ('o2', 3, 'C', 1, 30),
     ('o3', 1, 'B', 1, 12), ('o5', 1, 'C', 1, 30), ('o4', 1, 'D', 1, 3)`,
];

/** Fills an empty warehouse with SERVING_STORE. */
export async function fillServingStore(wh: Warehouse): Promise<void> {
  for (const sql of SERVING_STORE) await wh.exec(sql);
}
