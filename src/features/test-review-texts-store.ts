/**
 * A small store with a few reviews in Chinese and English, as a folder of canonical CSVs imported
 * with the `shopsight` preset (so it goes through the same import on DuckDB and on ClickHouse):
 * 3 products (one postage), 3 customers, 4 orders, and 9 review lines, of which one is quarantined
 * (7 stars), one has no text, one no time, one its own category and no product, one a label and no
 * stars. The known answers of report/reviews-clickhouse.test.ts are worked out from these rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REVIEW_STORE_FILES: Readonly<Record<string, string>> = {
  'products.csv': [
    'product_id,title,category,price,is_merchandise',
    'P1,Mug,kitchen,10,true',
    'P2,Dress 连衣裙,clothes,20,true',
    'POST,Postage,,5,false',
  ].join('\n'),
  'customers.csv': ['customer_id,country', 'c1,GB', 'c2,CN', 'c3,GB'].join('\n'),
  'orders.csv': [
    'order_id,customer_id,ordered_at,status,total',
    'o1,c1,2024-01-05 10:00:00,shipped,20',
    'o2,c2,2024-02-10 09:00:00,shipped,40',
    'o3,c3,2024-03-01 12:00:00,shipped,10',
    'o4,c1,2024-03-20 08:00:00,shipped,30',
  ].join('\n'),
  'order_items.csv': [
    'order_id,line_no,product_id,quantity,unit_price',
    'o1,1,P1,2,10',
    'o2,1,P2,2,20',
    'o3,1,P1,1,10',
    'o4,1,P2,1,20',
    'o4,2,P1,1,10',
  ].join('\n'),
  'reviews.csv': [
    'review_id,customer_id,product_id,rating,title,body,created_at,verified,label,category',
    'r1,c1,P1,5,Great mug,"The quality is great, I love it",2024-01-10 00:00:00,true,,',
    'r2,c2,P2,1,,质量很差，颜色不对,2024-02-15 00:00:00,true,,',
    'r3,c3,P1,3,OK,Average mug,2024-03-05 00:00:00,false,,',
    'r4,c1,P2,,,衣服很漂亮，质量很好,2024-03-25 00:00:00,,1,',
    'r5,c2,P1,4,,,2024-03-26 00:00:00,,,',
    'r6,c3,P1,7,Bad stars,seven stars,2024-03-27 00:00:00,,,',
    'r7,c3,,2,Too small,The shoes are too small,2024-04-01 00:00:00,,,shoes',
    'r8,c1,P1,4,Nice,,,,,',
    'r9,c2,P2,2,太小了,"Poor quality, the dress is too small",2024-04-02 12:30:00,true,,',
  ].join('\n'),
};

/** Writes the store's CSVs into `dir` (created) and returns it, for `--preset shopsight`. */
export function writeReviewStore(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(REVIEW_STORE_FILES)) writeFileSync(join(dir, name), text + '\n');
  return dir;
}
