import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPreset } from '../../ingest/presets/index.js';
import type { Warehouse } from '../warehouse.js';
import { importSource } from './import-source.js';
import { memoryWarehouse, scratch, type Scratch } from './test-helpers.js';

let s: Scratch;
let wh: Warehouse;
beforeEach(async () => {
  s = scratch();
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
  s.cleanup();
});

describe('labelled-reviews preset', () => {
  it('reads review, label (1/0 or words) and cat; quarantines a bad label and a missing one, naming the line', async () => {
    const file = s.write(
      'zh.csv',
      [
        'cat,label,review',
        '水果,0,拆开一看还有烂的，跟描述的不一样',
        '酒店,1,"房间宽敞,服务好"',
        '衣服,positive,尺码正好',
        '衣服,negative,质量差',
        '衣服,maybe,不好说',
        '书籍,,没有标签',
      ].join('\n') + '\n',
    );
    const r = await importSource(wh, { target: file, preset: getPreset('labelled-reviews') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([6, 4, 2]);
    expect(
      await wh.rows(
        'SELECT review_id, label, category, body, rating, product_id FROM reviews ORDER BY review_id',
      ),
    ).toEqual([
      {
        review_id: '2',
        label: 0,
        category: '水果',
        body: '拆开一看还有烂的，跟描述的不一样',
        rating: null,
        product_id: null,
      },
      { review_id: '3', label: 1, category: '酒店', body: '房间宽敞,服务好', rating: null, product_id: null },
      { review_id: '4', label: 1, category: '衣服', body: '尺码正好', rating: null, product_id: null },
      { review_id: '5', label: 0, category: '衣服', body: '质量差', rating: null, product_id: null },
    ]);
    expect(await wh.rows('SELECT line, reason, "column" FROM quarantine ORDER BY line')).toEqual([
      { line: 6, reason: 'invalid_number', column: 'label' },
      { line: 7, reason: 'missing_required', column: 'label' },
    ]);
  });

  it('takes `category` when the file has no `cat`, and works without either', async () => {
    const a = s.write('a.csv', 'review,label,category\ngood,1,shoes\n');
    await importSource(wh, { target: a, preset: getPreset('labelled-reviews') });
    expect(await wh.rows('SELECT label, category FROM reviews')).toEqual([{ label: 1, category: 'shoes' }]);
    const b = s.write('b.csv', 'label,review\n0,bad\n');
    const r = await importSource(wh, { target: b, preset: getPreset('labelled-reviews') });
    expect(r.rowsImported).toBe(1);
  });
});

describe('amazon-reviews preset', () => {
  it('reads stars, text, summary, product, author, time; keeps variant repeats, quarantines exact copies', async () => {
    const line = (style: string, overall = 5): string =>
      JSON.stringify({
        overall,
        verified: true,
        reviewerID: 'A1',
        asin: 'B01',
        style: { 'Size:': style },
        reviewText: 'Great product and price!',
        summary: 'Five Stars',
        unixReviewTime: 1441324800,
      });
    const file = s.write(
      'fashion.jsonl',
      [
        line('S'),
        line('M'),
        line('M'),
        line('L', 7),
        JSON.stringify({ overall: 2, asin: 'B02', reviewerID: 'A2' }),
      ].join('\n') + '\n',
    );
    const r = await importSource(wh, { target: file, preset: getPreset('amazon-reviews') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([5, 3, 2]);
    expect(r.quarantinedByReason).toEqual({ duplicate_row: 1, invalid_value: 1 });
    expect(
      await wh.rows(
        'SELECT review_id, customer_id, product_id, rating, title, body, created_at, verified FROM reviews ORDER BY review_id',
      ),
    ).toEqual([
      {
        review_id: 'B01:A1:1',
        customer_id: 'A1',
        product_id: 'B01',
        rating: 5,
        title: 'Five Stars',
        body: 'Great product and price!',
        created_at: new Date('2015-09-04T00:00:00Z'),
        verified: true,
      },
      {
        review_id: 'B01:A1:2',
        customer_id: 'A1',
        product_id: 'B01',
        rating: 5,
        title: 'Five Stars',
        body: 'Great product and price!',
        created_at: new Date('2015-09-04T00:00:00Z'),
        verified: true,
      },
      {
        review_id: 'B02:A2:5',
        customer_id: 'A2',
        product_id: 'B02',
        rating: 2,
        title: null,
        body: null,
        created_at: null,
        verified: null,
      },
    ]);
    expect(await wh.rows('SELECT product_id FROM products ORDER BY 1')).toEqual([
      { product_id: 'B01' },
      { product_id: 'B02' },
    ]);
  });
});
