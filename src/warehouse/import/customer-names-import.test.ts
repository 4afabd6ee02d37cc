/**
 * Customer names (migration 21): imported through a customers mapping from a Shopify-style export
 * (First Name, Last Name), read from the shopsight layout's customers.csv, and not imported at all
 * under --pseudonymise (a pseudonym of a name joins nothing, and the name is personal data).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandKey } from '../../ingest/pseudonymise.js';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { getPreset } from '../../ingest/presets/index.js';
import { importSource } from './import-source.js';
import { freshImportFixture } from './test-helpers.js';

const f = freshImportFixture();

/** Shopify's customer export columns (the first ones; the rest of its columns are left out). */
const SHOPIFY =
  'Customer ID,First Name,Last Name,Email,Country Code\n1001,Ann,Lee,ann@example.com,GB\n1002,小明,王,,CN\n1003,,,bob@example.com,US\n';
const SHOPIFY_MAPPING = {
  frame: 'customers',
  columns: {
    customer_id: 'Customer ID',
    first_name: 'First Name',
    last_name: 'Last Name',
    email: 'Email',
    country: 'Country Code',
  },
};

const names = () =>
  f.wh.rows<{ customer_id: string; first_name: string | null; last_name: string | null }>(
    'SELECT customer_id, first_name, last_name FROM customers ORDER BY customer_id',
  );

describe('customer names', () => {
  it('are imported from a Shopify-style export through a mapping, Chinese names as written', async () => {
    const file = f.s.write('customers_export.csv', SHOPIFY);
    await importSource(f.wh, { target: file, preset: parseMapping(SHOPIFY_MAPPING, 'shopify.yaml') });
    expect(await names()).toEqual([
      { customer_id: '1001', first_name: 'Ann', last_name: 'Lee' },
      { customer_id: '1002', first_name: '小明', last_name: '王' },
      { customer_id: '1003', first_name: null, last_name: null },
    ]);
  });

  it("are read from the shopsight layout's customers.csv when its header has them", async () => {
    mkdirSync(join(f.s.dir, 'layout'));
    f.s.write('layout/customers.csv', 'customer_id,email,first_name,last_name\nC1,a@x.com,Jo,Smith\n');
    await importSource(f.wh, { target: join(f.s.dir, 'layout'), preset: getPreset('shopsight') });
    expect(await names()).toEqual([{ customer_id: 'C1', first_name: 'Jo', last_name: 'Smith' }]);
  });

  it('are not imported when ids are pseudonymised', async () => {
    const file = f.s.write('customers_export.csv', SHOPIFY);
    await importSource(f.wh, {
      target: file,
      preset: parseMapping(SHOPIFY_MAPPING, 'shopify.yaml'),
      pseudonymKey: expandKey('a-long-secret-key-for-tests'),
    });
    const rows = await names();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.first_name === null && r.last_name === null)).toBe(true);
  });
});
