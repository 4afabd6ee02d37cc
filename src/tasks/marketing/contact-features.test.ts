import { describe, expect, it } from 'vitest';
import { encodedNames, encodeRecords, fitEncoding, requiredColumns } from './contact-features.js';

const records = [
  { recency: 3, history: '29.5', channel: 'Web', zip: 'Rural' },
  { recency: '7', history: 10, channel: 'Phone', zip: 'Urban' },
];

describe('contact feature encoding', () => {
  it('numbers as they are, categories one-hot over the sorted training levels', () => {
    const enc = fitEncoding(records, ['recency', 'history'], ['channel', 'zip']);
    expect(encodedNames(enc)).toEqual([
      'recency',
      'history',
      'channel=Phone',
      'channel=Web',
      'zip=Rural',
      'zip=Urban',
    ]);
    expect(requiredColumns(enc)).toEqual(['recency', 'history', 'channel', 'zip']);
    const m = encodeRecords(enc, records, (i) => `row ${i + 1}`);
    expect(m.cols).toBe(6);
    expect([...m.features]).toEqual([3, 29.5, 0, 1, 1, 0, 7, 10, 1, 0, 0, 1]);
    // an unseen level is all zeros
    expect([
      ...encodeRecords(enc, [{ recency: 1, history: 2, channel: 'Fax', zip: 'Rural' }], String).features,
    ]).toEqual([1, 2, 0, 0, 1, 0]);
  });

  it('refuses a missing or non-numeric value naming the row and column', () => {
    const enc = fitEncoding(records, ['recency', 'history'], ['channel', 'zip']);
    const where = (i: number): string => `customers.csv line ${i + 2}`;
    expect(() =>
      encodeRecords(enc, [{ recency: 'abc', history: 1, channel: 'Web', zip: 'Rural' }], where),
    ).toThrow("customers.csv line 2, column recency: the feature 'abc' is not a number");
    expect(() =>
      encodeRecords(enc, [{ recency: 1, history: '', channel: 'Web', zip: 'Rural' }], where),
    ).toThrow('customers.csv line 2, column history: the feature is missing');
    expect(() => encodeRecords(enc, [{ recency: 1, history: 2, zip: 'Rural' }], where)).toThrow(
      'customers.csv line 2, column channel: the feature is missing',
    );
  });
});
