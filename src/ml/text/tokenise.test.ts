import { describe, expect, it } from 'vitest';
import { tokenise } from './tokenise.js';

describe('tokenise', () => {
  it('lower-cases, splits on anything but letters and digits, drops function words', () => {
    expect(tokenise("SET OF 3 Children's T-Light Holders, 50cm")).toEqual([
      'set',
      '3',
      'childrens',
      't',
      'light',
      'holders',
      '50cm',
    ]);
    expect(tokenise('Glühwein — the ＦＵＬＬ-width')).toEqual(['glühwein', 'full', 'width']); // NFKC folds full-width
    expect(tokenise(null)).toEqual([]);
  });
});
